import { Events } from "./events.js";
import { HttpCore, type OfferHubOptions } from "./http.js";
import { ApiKeys, Audit, Config, Disputes, Health, Orders, Signatures, Topups, Users, WebhookEndpoints, Withdrawals } from "./resources.js";

/** The OfferHub API, one resource per area, methods named after the use cases. */
export class OfferHub {
  readonly users: Users;
  readonly topups: Topups;
  readonly orders: Orders;
  readonly disputes: Disputes;
  readonly withdrawals: Withdrawals;
  readonly signatures: Signatures;
  readonly apiKeys: ApiKeys;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly audit: Audit;
  readonly config: Config;
  readonly health: Health;
  readonly events: Events;

  constructor(options: OfferHubOptions) {
    const http = new HttpCore(options);
    this.users = new Users(http);
    this.topups = new Topups(http);
    this.orders = new Orders(http);
    this.disputes = new Disputes(http);
    this.withdrawals = new Withdrawals(http);
    this.signatures = new Signatures(http);
    this.apiKeys = new ApiKeys(http);
    this.webhookEndpoints = new WebhookEndpoints(http);
    this.audit = new Audit(http);
    this.config = new Config(http);
    this.health = new Health(http);
    this.events = new Events(http);
  }
}
