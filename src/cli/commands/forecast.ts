/**
 * `ebs-snapper forecast`: what the policies will keep and cost over the next `--days`, by
 * running the planner forward on the live inventory (collected as `plan` does) or on a saved one
 * (`--inventory FILE`, which needs no AWS at all). Changes nothing. A target that could not be
 * read is named in every format (the forecast leaves it out) and makes the exit code 1.
 */
import { forecastPolicies } from '../../core/report/forecast.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { emitPage } from '../render/emit.js';
import { forecastDocument } from '../render/forecast-json.js';
import { renderForecast } from '../render/forecast-text.js';
import { renderForecastPage } from '../render/html/forecast-page.js';
import { type ForecastOptions, parseChangeRate, parseDays, parsePrices } from '../report-options.js';
import { inventoriesFor } from './collect.js';

export async function forecastCommand(options: ForecastOptions, io: CliIo): Promise<CommandOutcome> {
  const prices = parsePrices(options.pricePerGb);
  const days = parseDays(options.days);
  const changeRate = parseChangeRate(options.changeRate);
  const { inventories, unread, now, failed, policies } = await inventoriesFor(
    { ...options, unmanaged: 'skip' },
    io,
  );
  const forecast = forecastPolicies(inventories, policies, { now, days, changeRate, prices });
  const document = forecastDocument(forecast, inventories.length, unread);
  await emitPage(
    document,
    (style) => renderForecast(forecast, style, unread),
    () => renderForecastPage(forecast, document, unread),
    options,
    io,
  );
  return { failed: failed || unread.length > 0, changes: false };
}
