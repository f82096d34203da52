// What the cloud-call stand-ins hold: the content-security word list, subscription templates,
// grants and outbox, and faults injected for the next calls of an API.
import { ContentSecurity } from './content-security';
import type { InjectedFault } from './openapi-action';
import { SubscribeMessages } from './subscribe-messages';

export class CloudCallsState {
  readonly content = new ContentSecurity();
  readonly messages = new SubscribeMessages();
  readonly faults: InjectedFault[] = [];

  constructor(readonly apiNames: () => string[]) {}

  takeFault(api: string): InjectedFault | undefined {
    const index = this.faults.findIndex((f) => f.api === api || f.api === '*');
    if (index < 0) return undefined;
    const fault = this.faults[index] as InjectedFault;
    if (--fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  summary() {
    return {
      apis: this.apiNames(),
      words: this.content.words(),
      templates: this.messages.listTemplates(),
      subscriptions: this.messages.subscriptions(),
      outbox: this.messages.outbox(),
      faults: this.faults,
    };
  }
}

export type CloudCallsSummary = ReturnType<CloudCallsState['summary']>;
