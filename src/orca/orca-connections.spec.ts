import { connectionFor, parseOrcaConnections } from './orca-connections';

describe('ORCA_CONNECTIONS', () => {
  const map = parseOrcaConnections('awx=Prod, awx:42=lab,oo:3F2A9C1E-7B4D-4E8A-9C61-2D5B8E0F4A17=oo2');

  it('picks the resource\'s own connection, else its target\'s, else default', () => {
    expect(connectionFor(map, 'awx', '42')).toBe('lab');
    expect(connectionFor(map, 'awx', '43')).toBe('prod');
    expect(connectionFor(map, 'oo', '3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17')).toBe('oo2');
    expect(connectionFor(map, 'oo', '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a')).toBe('default');
    expect(connectionFor(parseOrcaConnections(''), 'awx', '1')).toBe('default');
  });
});
