import { describe, expect, it } from 'vitest';
import { flowIdOf, NO_RUN_IN_LINK, NOT_A_FLOW_ID } from './flow-id';

const ID = '0b7e9c8a-2f4d-4c1e-9a3b-5d6e7f8a9b0c';

describe('flowIdOf', () => {
  it('takes a UUID of any version, in either case, written as Baton writes it', () => {
    expect(flowIdOf(ID)).toEqual({ flowId: ID });
    expect(flowIdOf(ID.toUpperCase())).toEqual({ flowId: ID });
    expect(flowIdOf('0B7E9C8A-2F4D-1C1E-9A3B-5D6E7F8A9B0C')).toEqual({ flowId: '0b7e9c8a-2f4d-1c1e-9a3b-5d6e7f8a9b0c' });
  });

  it('drops the whitespace and one pair of quotes around it, as it is pasted from JSON, a shell or a chat', () => {
    for (const pasted of [`  ${ID}\n`, `"${ID}"`, `'${ID}'`, `\`${ID}\``, `“${ID}”`, `‘ ${ID} ’`, `«${ID}»`, `<${ID}>`, `\t"${ID}" `]) {
      expect(flowIdOf(pasted)).toEqual({ flowId: ID });
    }
  });

  it('finds the run in a console or API link', () => {
    for (const link of [
      `http://localhost:3000/ui/runs/${ID}`, `https://baton.example/ui/runs/${ID}?tab=json#attempts`, `/ui/runs/${ID}`,
      `https://baton.example/api/orchestration/runs/${ID}`, `https://baton.example/api/orchestration/runs/${ID}/retry`,
      `https://baton.example/api/orchestration/undo/${ID}`, `https://baton.example/api/job-executions/request/${ID}`,
      `https://baton.example/api/stats?flowId=${ID}&x=1`, `baton.example/ui/runs/${ID}`, ` "https://baton.example/ui/runs/${ID.toUpperCase()}" `,
    ]) expect(flowIdOf(link)).toEqual({ flowId: ID });
  });

  it('says a link names no run when the UUID in it is not a run\'s (a job\'s id), or it has none', () => {
    expect(flowIdOf(`https://baton.example/api/job-executions/${ID}`)).toEqual({ problem: NO_RUN_IN_LINK });
    expect(flowIdOf('https://baton.example/ui/templates/demoOrder')).toEqual({ problem: NO_RUN_IN_LINK });
    // A UUID that runs on past its end is not one.
    expect(flowIdOf(`https://baton.example/ui/runs/${ID}0`)).toEqual({ problem: NO_RUN_IN_LINK });
  });

  it('says what a flowId is for anything else, without asking Baton', () => {
    for (const text of ['', '   ', 'demoOrder', ID.slice(0, 8), `${ID}0`, ID.replace(/-/g, ''), `${ID} ${ID}`, `"${ID}`, `run ${ID}`, `runs/ ${ID}`]) {
      expect(flowIdOf(text)).toEqual({ problem: NOT_A_FLOW_ID });
    }
  });
});
