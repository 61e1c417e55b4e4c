// Preloaded into a benchmarked process: reports its peak resident memory on exit.
process.on('exit', () => {
	process.stderr.write(`\nmaxRSS-kB ${process.resourceUsage().maxRSS}\n`);
});
