/**
 * The two-moons picture: every sampler (default settings) on an MLP score trained on two moons, at one NFE, beside
 * fresh data. No exact score exists here; the picture shows what each sampler makes of a learned score.
 */
import { drawSamples, matrixFromTensor, tensorFromMatrix } from '@rtk-diffusion/cli';
import type { ScoreModel } from '@rtk-diffusion/scores';
import { type ScoreNetwork, twoMoons } from '@rtk-diffusion/scores/neural';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import type { TopLevelSpec } from 'vega-lite';
import type { ToySuiteConfig } from './config.js';

const DATA = 'data';

/** Samples every sampler and returns the Vega-Lite spec and the sampling seconds per sampler. */
export async function moonsPicture(
  model: ScoreModel,
  network: ScoreNetwork,
  config: ToySuiteConfig,
): Promise<{ spec: TopLevelSpec; seconds: Record<string, number> }> {
  const values: { panel: string; x: number; y: number }[] = [];
  const data = twoMoons(config.moonsN, createRng(config.dataSeed + 2));
  for (let i = 0; i < data.n; i++)
    values.push({ panel: DATA, x: data.values[2 * i]!, y: data.values[2 * i + 1]! });
  const seconds: Record<string, number> = {};
  const samplers = config.samplers.filter((s) => s !== 'rtk-mala');
  for (const sampler of samplers) {
    try {
      const drawn = await drawSamples({ model, sampler, nfe: config.moonsNfe, n: config.moonsN, seed: 0 });
      seconds[sampler] = Number(drawn.seconds.toFixed(3));
      const inModel = tensorFromMatrix(drawn.samples);
      const inData = network.toData(inModel);
      const rows = await matrixFromTensor(inData);
      tf.dispose([inModel, inData]);
      for (let i = 0; i < rows.n; i++) {
        const [x, y] = [rows.values[2 * i]!, rows.values[2 * i + 1]!];
        if (Math.abs(x) < 4 && Math.abs(y) < 4) values.push({ panel: sampler, x, y });
      }
    } catch (error) {
      if (!(isRtkError(error) && ['E_BUDGET', 'E_NUMERIC'].includes(error.code))) throw error;
    }
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title: {
      text: `two moons, trained MLP score: ${config.moonsN} points per sampler at NFE ${config.moonsNfe} (default settings)`,
      fontSize: 14,
    },
    data: { values: values.map((v) => ({ ...v, x: round(v.x), y: round(v.y) })) },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [DATA, ...samplers] },
    columns: 4,
    spec: {
      width: 180,
      height: 130,
      mark: { type: 'circle', size: 5, opacity: 0.6, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: { domain: [-1.5, 2.5] }, title: 'x1' },
        y: { field: 'y', type: 'quantitative', scale: { domain: [-1, 1.5] }, title: 'x2' },
        color: {
          condition: { test: `datum.panel === '${DATA}'`, value: '#555555' },
          value: '#d62728',
        },
      },
    },
  } as TopLevelSpec;
  return { spec, seconds };
}
