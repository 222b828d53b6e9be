/**
 * The default VitePress theme plus the components the pages use: the playground and the benchmark chart.
 */
import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { BenchChart } from './bench-chart.js';
import { RtkPlayground } from './playground.js';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('RtkPlayground', RtkPlayground);
    app.component('BenchChart', BenchChart);
  },
};

export default theme;
