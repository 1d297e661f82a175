import { keepsLaunchVariable } from './awx-launch-settings';

describe('keepsLaunchVariable', () => {
  it('is true for a template that prompts for variables on launch', () => {
    expect(keepsLaunchVariable({ ask_variables_on_launch: true, survey_enabled: false, variables_needed_to_start: [] }, 'baton_command_id')).toBe(true);
  });

  it('is true for an enabled survey that asks the variable (required)', () => {
    expect(keepsLaunchVariable({ ask_variables_on_launch: false, survey_enabled: true, variables_needed_to_start: ['region', 'baton_command_id'] },
      'baton_command_id')).toBe(true);
  });

  it('is false when the template neither prompts nor asks it in an enabled survey', () => {
    expect(keepsLaunchVariable({ ask_variables_on_launch: false, survey_enabled: false, variables_needed_to_start: [] }, 'baton_command_id')).toBe(false);
    expect(keepsLaunchVariable({ ask_variables_on_launch: false, survey_enabled: true, variables_needed_to_start: ['region'] }, 'baton_command_id')).toBe(false);
    expect(keepsLaunchVariable({ ask_variables_on_launch: false, survey_enabled: false, variables_needed_to_start: ['baton_command_id'] }, 'baton_command_id'))
      .toBe(false);
  });

  it('is undefined for a body that is not a launch view', () => {
    for (const body of [null, [], 'ok', {}, { ask_variables_on_launch: 'yes' }]) expect(keepsLaunchVariable(body, 'baton_command_id')).toBeUndefined();
  });
});
