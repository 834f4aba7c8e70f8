#!/usr/bin/env bash
# action.yml's last step: fails the job with loadr's exit code (EXIT_CODE from the run step),
# with a one-line reason a reader of the job log understands.
set -uo pipefail
code="${EXIT_CODE:-1}"
case "$code" in
  0) exit 0 ;;
  99) echo "::error::loadr: a threshold failed (exit 99); see the step summary" ;;
  104) echo "::error::loadr: the plan is not valid (exit 104); the run step's log names the problem" ;;
  105) echo "::error::loadr: the run was interrupted (exit 105)" ;;
  "") echo "::error::loadr did not run"; code=1 ;;
  *) echo "::error::loadr failed (exit $code)" ;;
esac
exit "$code"
