/**
 * Whether a template keeps `variable` in a launch's extra_vars, read from its launch view
 * (`GET …/launch/`); undefined when the body is not that view. AWX drops, and lists in the
 * launch answer's ignored_fields, every variable a template neither prompts for
 * (ask_variables_on_launch) nor asks in an enabled survey. The view names only a survey's required
 * questions (variables_needed_to_start): an optional question counts as dropping the variable,
 * which fails a step for good rather than risk a second job.
 */
export function keepsLaunchVariable(body: unknown, variable: string): boolean | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const view = body as Record<string, unknown>;
  if (typeof view.ask_variables_on_launch !== 'boolean') return undefined;
  if (view.ask_variables_on_launch) return true;
  return view.survey_enabled === true && Array.isArray(view.variables_needed_to_start) && view.variables_needed_to_start.includes(variable);
}
