// The Kubernetes manifests (deploy/k8s), rendered by `kubectl kustomize` as a user would before
// `kubectl apply`: the base is a controller (Deployment, PVC, Service, /healthz probes, resource
// requests) and agents, with no TLS; the `tls` overlay adds certificate volumes and mTLS flags and
// the API token Secret; `scale` sets agent replicas and labels.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const root = join(import.meta.dir, "..", "..", "..");

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: any;
}

function render(dir: string): K8sObject[] {
  if (!Bun.which("kubectl")) throw new Error("kubectl is missing: install Debian's kubernetes-client package (.ci/run does)");
  const result = Bun.spawnSync(["kubectl", "kustomize", join(root, dir)], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr.toString()}`);
  return parseAllDocuments(result.stdout.toString()).map((d) => d.toJS() as K8sObject);
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
};
const container = (deployment: K8sObject) => deployment.spec.template.spec.containers[0];
const envNames = (deployment: K8sObject) => (container(deployment).env ?? []).map((e: { name: string }) => e.name);
const secretVolumes = (deployment: K8sObject) => (deployment.spec.template.spec.volumes ?? []).filter((v: any) => v.secret).map((v: any) => v.secret.secretName);

describe("kubectl kustomize deploy/k8s", () => {
  test("the base: controller with PVC, Service and probes, agents joining it; no TLS, no Secret object", () => {
    const objects = render("deploy/k8s/base");
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "Deployment/loadr-agent",
      "Deployment/loadr-controller",
      "PersistentVolumeClaim/loadr-controller-data",
      "Service/loadr-controller",
    ]);
    const controller = find(objects, "Deployment", "loadr-controller");
    expect(container(controller).readinessProbe.httpGet.path).toBe("/healthz");
    expect(container(controller).livenessProbe.httpGet.path).toBe("/healthz");
    expect(container(controller).resources.requests).toBeDefined();
    expect(controller.spec.template.spec.volumes.find((v: any) => v.name === "data").persistentVolumeClaim.claimName).toBe("loadr-controller-data");
    expect(container(controller).args.some((a: string) => a.startsWith("--tls"))).toBe(false);
    expect(secretVolumes(controller)).toEqual([]);
    const agent = find(objects, "Deployment", "loadr-agent");
    expect(envNames(agent)).toContain("LOADR_JOIN");
    expect(envNames(agent).filter((n: string) => n.startsWith("LOADR_TLS"))).toEqual([]);
    expect(find(objects, "Service", "loadr-controller").spec.ports.map((p: any) => p.port)).toEqual([7625, 7626]);
  });

  test("the tls overlay: certificate volumes, mTLS flags, the API token Secret", () => {
    const objects = render("deploy/k8s/overlays/tls");
    expect(find(objects, "Secret", "loadr-api-token")).toBeDefined();
    find(objects, "Service", "loadr-controller");
    find(objects, "PersistentVolumeClaim", "loadr-controller-data");
    const controller = find(objects, "Deployment", "loadr-controller");
    expect(secretVolumes(controller)).toEqual(["loadr-controller-tls"]);
    expect(container(controller).args).toEqual(expect.arrayContaining(["--tls-cert=/etc/loadr/tls/tls.crt", "--tls-client-ca=/etc/loadr/tls/ca.crt"]));
    expect(envNames(controller)).toEqual(["LOADR_API_TOKEN"]);
    const agent = find(objects, "Deployment", "loadr-agent");
    expect(secretVolumes(agent)).toEqual(["loadr-agent-tls"]);
    expect(envNames(agent)).toEqual(expect.arrayContaining(["LOADR_TLS_CA", "LOADR_TLS_CERT", "LOADR_TLS_KEY"]));
    expect(envNames(agent)).not.toContain("LOADR_JOIN_TOKEN");
    // $(POD_NAME) in LOADR_NAME only expands when POD_NAME comes first.
    expect(envNames(agent).indexOf("POD_NAME")).toBeLessThan(envNames(agent).indexOf("LOADR_NAME"));
  });

  test("the monitoring overlay: the tls overlay plus a ServiceMonitor on the controller's /metrics", () => {
    const objects = render("deploy/k8s/overlays/monitoring");
    const monitor = find(objects, "ServiceMonitor", "loadr-controller");
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: "http", path: "/metrics" });
    expect(secretVolumes(find(objects, "Deployment", "loadr-controller"))).toEqual(["loadr-controller-tls"]);
  });

  test("the scale overlay: agent replicas and labels", () => {
    const agent = find(render("deploy/k8s/overlays/scale"), "Deployment", "loadr-agent");
    expect(agent.spec.replicas).toBe(20);
    expect(container(agent).env.find((e: any) => e.name === "LOADR_LABELS").value).toContain("pool=eu");
  });
});
