// Bun's text import (`with { type: "text" }`) yields the file's contents as a string.
declare module "*.proto" {
  const text: string;
  export default text;
}
