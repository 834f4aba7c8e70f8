#!/usr/bin/env bun
// The executable's entry point. Worker entry files (vu-worker.ts) sit beside it so that
// `bun build --compile` embeds them (scripts/build.ts passes them as extra entrypoints).
import { main } from "./cli/index.ts";

process.exitCode = await main(process.argv.slice(2));
