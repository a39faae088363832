// Builds `rebound`, the command line (package rebound-cli, src-tauri/cli), for the
// installers, and puts it where packaging/installers.json's bundle.externalBin looks
// for it: gen/installer/rebound-<target triple>[.exe]. The installers then ship it
// beside the window's program (on Linux both in /usr/bin).
//
// The Tauri CLI runs this as beforeBuildCommand when given
// `--config packaging/installers.json` (see the README, "Building the installers"),
// with TAURI_ENV_TARGET_TRIPLE set, and TAURI_ENV_DEBUG for a --debug build. Node runs
// it the same way on Linux, macOS and Windows; it needs nothing but cargo.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const triple = process.env.TAURI_ENV_TARGET_TRIPLE;
if (!triple) {
  console.error("stage-cli: run through the Tauri CLI: tauri build --config packaging/installers.json");
  process.exit(1);
}
const profile = process.env.TAURI_ENV_DEBUG === "true" ? "debug" : "release";
const host = execFileSync("rustc", ["-vV"], { encoding: "utf8" }).match(/^host: (\S+)$/m)[1];

// For the host, build where the window's build will go, so the core is compiled once;
// for another target (the macOS Intel build on an Apple silicon runner), under it.
const args = ["build", "--locked", "-p", "rebound-cli", "--bin", "rebound"];
if (profile === "release") args.push("--release");
if (triple !== host) args.push("--target", triple);
execFileSync("cargo", args, { stdio: "inherit" });

const metadata = JSON.parse(
  execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps", "--locked"], {
    encoding: "utf8",
  }),
);
const exe = triple.includes("windows") ? ".exe" : "";
const built = join(metadata.target_directory, ...(triple === host ? [] : [triple]), profile, `rebound${exe}`);
mkdirSync(join("gen", "installer"), { recursive: true });
const staged = join("gen", "installer", `rebound-${triple}${exe}`);
copyFileSync(built, staged);
console.log(`stage-cli: ${built} -> ${staged}`);
