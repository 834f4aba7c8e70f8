// Artillery processor for plans/artillery-closed.yaml: loop while before the deadline, which is
// BENCH_DURATION_MS after this module loads (in each Artillery worker).
const deadline = Date.now() + Number(process.env.BENCH_DURATION_MS || 10000);

module.exports = {
  beforeDeadline(_context, next) {
    return next(Date.now() < deadline);
  },
};
