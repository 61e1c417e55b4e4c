/**
 * Chart.js with only the pieces our charts draw, so the pilot page ships a fraction of the
 * library. Imported dynamically from components' effects: it never runs on the server.
 */
import { Chart } from 'chart.js';
import * as parts from 'chart.js';

Chart.register(
	parts.BarController,
	parts.BarElement,
	parts.CategoryScale,
	parts.Filler,
	parts.Legend,
	parts.LinearScale,
	parts.LineController,
	parts.LineElement,
	parts.PointElement,
	parts.Tooltip
);

export { Chart };
