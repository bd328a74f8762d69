/**
 * The bad-HTTP-input battery of test/faults/badHttpInput.test.ts: every kind of malformed, unsigned,
 * oversized or hostile request to the webhook and operator endpoints, with the answer each must get.
 * Real bytes over raw sockets where fetch would tidy them up.
 */
import { badHttpBodyCases } from './badHttpBodyCases.ts';
import { badHttpEventCases } from './badHttpEventCases.ts';
import { badHttpSignatureCases } from './badHttpSignatureCases.ts';
import { badHttpTools, type Case } from './badHttpTools.ts';
import type { SiteFixture } from './siteFixture.ts';

export type { Case, Expect } from './badHttpTools.ts';

/** Every kind of bad input against the running site fixture, in the order the battery sends and prints them. */
export function badHttpCases(site: SiteFixture): Case[] {
  const tools = badHttpTools(site);
  return [...badHttpSignatureCases(site, tools), ...badHttpBodyCases(site, tools), ...badHttpEventCases(site, tools)];
}
