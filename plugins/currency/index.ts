import { definePlugin } from '../../core/plugin.ts';
import { refreshRates } from './jobs.ts';
import convert from './routes/convert.ts';
import rates from './routes/rates.ts';
import supported from './routes/supported.ts';

// Rates are stored by the core rates port (core/rates): expenses convert with them in SQL.
export default definePlugin({
  name: 'currency',
  description: 'European Central Bank reference rates: current rates, conversion and the supported currencies',
  dependencies: ['auth'],
  routes: (app) => {
    rates(app);
    convert(app);
    supported(app);
  },
  jobs: [refreshRates],
});
