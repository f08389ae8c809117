// dist/troubleshoot.js: auth error explanations (hover text, the report panel). Loaded on the first hover over a line
// that may hold an auth error, or the first "Explain Kubernetes Auth Error".
import type { FeatureContext } from '../shared/context';
import { authErrorHover, explainSelection } from './explainView';
import { ReportPanel } from './reportPanel';

export interface TroubleshootUi {
  hover: typeof authErrorHover;
  explain: (argument?: { line?: unknown }) => Promise<void>;
}

export function startTroubleshootUi(context: FeatureContext): TroubleshootUi {
  const panel = new ReportPanel('saToken.explanation', (error) => {
    void context.showErrorMessage(error instanceof Error ? error.message : String(error));
  });
  context.own(panel);
  return { hover: authErrorHover, explain: (argument) => explainSelection(context, panel, argument) };
}
