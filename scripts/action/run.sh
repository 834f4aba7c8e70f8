#!/usr/bin/env bash
# action.yml's run step: `loadr run INPUT_PLAN` (on INPUT_CONTROLLER when set, with
# LOADR_API_TOKEN), the summary JSON under RUNNER_TEMP, the HTML report at INPUT_REPORT when
# set. loadr itself appends the markdown summary to GITHUB_STEP_SUMMARY. The exit code goes to
# the step's outputs; this step always succeeds so the report can still be uploaded, and the
# finish step (finish.sh) fails the job with loadr's code.
set -uo pipefail
loadr="$LOADR_TOOL_DIR/loadr"
[ -x "$loadr" ] || { echo "::error::loadr is not installed in $LOADR_TOOL_DIR (the install step failed)"; exit 1; }
[ -n "${INPUT_PLAN:-}" ] || { echo "::error::the 'plan' input is required (a path to a loadr plan)"; exit 1; }
[ -f "$INPUT_PLAN" ] || { echo "::error::plan file not found: $INPUT_PLAN"; exit 1; }
summary="${RUNNER_TEMP:-/tmp}/loadr-summary.json"
args=(run "$INPUT_PLAN" --summary-json "$summary")
[ -n "${INPUT_CONTROLLER:-}" ] && args+=(--controller "$INPUT_CONTROLLER")
[ -n "${INPUT_REPORT:-}" ] && args+=(--report "$INPUT_REPORT")
# INPUT_ARGS is split like a shell command line would be, without running anything in it.
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
  args+=("${extra[@]}")
fi
echo "loadr ${args[*]}"
"$loadr" "${args[@]}"
code=$?
{
  echo "exit-code=$code"
  echo "summary-json=$summary"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
