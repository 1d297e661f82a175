import { describe, expect, it } from 'vitest';
import { isLongWord, nameParts } from './name-parts';

describe('nameParts', () => {
  it('splits a long camelCase name before each word, keeping a trailing number with its word', () => {
    expect(nameParts('provisionTenantDatabaseAndApplyBaselineMigrations1')).toEqual(['provision', 'Tenant', 'Database', 'And', 'Apply', 'Baseline', 'Migrations1']);
    expect(nameParts('reserveStock2ForTheNextOrder')).toEqual(['reserve', 'Stock2', 'For', 'The', 'Next', 'Order']);
  });

  it('keeps an acronym whole, and the word after it apart', () => {
    expect(nameParts('parseTheHTTPResponseOfTheBank')).toEqual(['parse', 'The', 'HTTP', 'Response', 'Of', 'The', 'Bank']);
  });

  it('splits a long name after a -, _, . or /, once for a run of them, and never leaves an empty part', () => {
    expect(nameParts('orchestrator.commands.fixes-long_service')).toEqual(['orchestrator.', 'commands.', 'fixes-', 'long_', 'service']);
    expect(nameParts('payments--eu/settlement-')).toEqual(['payments--', 'eu/', 'settlement-']);
  });

  it('keeps a name that fits anywhere whole, alone or in a list, which wraps at its spaces', () => {
    expect(nameParts('demoOrder')).toEqual(['demoOrder']);
    expect(nameParts('createRealm, createClient')).toEqual(['createRealm, ', 'createClient']);
    expect(nameParts('createRealm, provisionTenantDatabase')).toEqual(['createRealm, ', 'provision', 'Tenant', 'Database']);
    expect(nameParts('')).toEqual(['']);
  });

  it('splits long names in any alphabet', () => {
    expect(nameParts('créerÉtapeSuivanteDuLocataire')).toEqual(['créer', 'Étape', 'Suivante', 'Du', 'Locataire']);
  });

  it('lets only a word longer than a column of names is ever given break inside', () => {
    expect(nameParts('provisionTenantDatabaseAndApplyBaselineMigrations1').filter(isLongWord)).toEqual([]);
    expect(isLongWord('x'.repeat(32))).toBe(false);
    expect(nameParts(`orders.${'a'.repeat(40)}`).filter(isLongWord)).toEqual(['a'.repeat(40)]);
  });
});
