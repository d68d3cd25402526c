import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  AuthenticationError, IdempotencyError, InsufficientFundsError, InvalidStateError, NotFoundError,
  OfferHub, OfferHubError, ProviderError, RateLimitError, ValidationError, verifyWebhook,
} from "../dist/esm/index.js";
import { eventually, freePort, MASTER_KEY, startServer } from "./server.mjs";

let server;
let hub;

before(async () => {
  server = await startServer();
  hub = new OfferHub({ baseUrl: server.baseUrl, apiKey: MASTER_KEY });
});

after(async () => {
  await server?.dispose();
});

let counter = 0;
const unique = (label) => `${label}-${process.pid}-${Date.now()}-${counter++}`;

async function user(type = "buyer") {
  return hub.users.create({ external_user_id: unique(type), type });
}

async function linkAirtm(userId) {
  const email = `${userId}@sim.airtm`;
  await server.raw("POST", "/sim/airtm/_control/users", { email });
  await hub.users.linkAirtm(userId, { airtm_email: email });
  return email;
}

async function credit(userId, amount) {
  await server.raw("POST", "/api/v1/sandbox/credits", { user_id: userId, amount });
}

describe("the worked example through the SDK", () => {
  test("top-up, order, escrow, release and withdrawal add up to the cent", async () => {
    const buyer = await user("buyer");
    const seller = await user("seller");
    const buyerEmail = await linkAirtm(buyer.id);

    const topup = await hub.topups.create({
      user_id: buyer.id, amount: "150.00", currency: "USD",
      return_url: "https://marketplace.example/return", cancel_url: "https://marketplace.example/cancel",
    });
    assert.equal(topup.status, "TOPUP_AWAITING_USER_CONFIRMATION");
    await server.raw("POST", `/sim/airtm/_control/payins/${topup.provider_ref.airtm_payin_id}/confirm`, { email: buyerEmail });
    const paid = await eventually(() => hub.topups.get(topup.id), (t) => t.status === "TOPUP_SUCCEEDED", "the top-up did not succeed");
    const credited = paid.net_amount ?? paid.amount;
    assert.equal((await hub.users.balance(buyer.id)).available, credited);

    const order = await hub.orders.create({ buyer_id: buyer.id, seller_id: seller.id, amount: "120.00", currency: "USD", title: "Logo design" });
    assert.equal(order.status, "ORDER_CREATED");
    const reserved = await hub.orders.reserve(order.id, { amount: "120.00" });
    assert.equal(reserved.status, "FUNDS_RESERVED");
    assert.equal(reserved.balance_snapshot.reserved, "120.00");

    await hub.orders.createEscrow(order.id);
    const funded = await hub.orders.fundEscrow(order.id);
    assert.equal(funded.status, "IN_PROGRESS");
    const escrow = await hub.orders.getEscrow(order.id);
    assert.equal(escrow.funded_amount, "120.00");

    await hub.orders.release(order.id, { mode: "FULL" });
    const released = await eventually(() => hub.orders.get(order.id), (o) => o.status === "CLOSED" || o.status === "RELEASED", "the release was not confirmed");
    assert.equal(released.released_amount, "120.00");
    const sellerBalance = await eventually(() => hub.users.balance(seller.id), (b) => b.available === "120.00", "the seller was not credited");
    assert.equal(sellerBalance.total, "120.00");
    const buyerBalance = await hub.users.balance(buyer.id);
    assert.equal(buyerBalance.reserved, "0.00");
    assert.equal(cents(buyerBalance.available), cents(credited) - 12_000);

    await linkAirtm(seller.id);
    const withdrawal = await hub.withdrawals.create({ user_id: seller.id, amount: "100.00", currency: "USD" });
    assert.equal(withdrawal.status, "WITHDRAWAL_CREATED");
    const held = await hub.users.balance(seller.id);
    assert.deepEqual([held.available, held.pending_withdrawal], ["20.00", "100.00"]);
    const committed = await hub.withdrawals.commit(withdrawal.id);
    const done = committed.status === "WITHDRAWAL_COMPLETED" ? committed
      : await eventually(() => hub.withdrawals.get(withdrawal.id), (w) => w.status === "WITHDRAWAL_COMPLETED", "the withdrawal did not complete");
    assert.equal(done.amount, "100.00");
    const end = await hub.users.balance(seller.id);
    assert.deepEqual([end.available, end.pending_withdrawal, end.total], ["20.00", "0.00", "20.00"]);
  });
});

function cents(amount) {
  const [whole, fraction] = amount.split(".");
  return Number(whole) * 100 + Number(fraction);
}

describe("retries", () => {
  test("a create whose answer is lost is retried with the same key and creates once", async () => {
    const seen = [];
    let dropped = false;
    const flaky = async (input, init) => {
      seen.push(new Headers(init?.headers).get("idempotency-key"));
      const response = await fetch(input, init);
      if (!dropped && init?.method === "POST") {
        dropped = true;
        throw new TypeError("socket hang up (simulated after the server processed the request)");
      }
      return response;
    };
    const client = new OfferHub({ baseUrl: server.baseUrl, apiKey: MASTER_KEY, fetch: flaky, maxRetries: 3 });
    const external = unique("retried");
    const created = await client.users.create({ external_user_id: external, type: "buyer" });
    assert.equal(seen.length, 2);
    assert.ok(seen[0] && seen[0] === seen[1], "the retry reused the Idempotency-Key");
    const page = await hub.users.list({ external_user_id: external });
    assert.deepEqual(page.data.map((u) => u.id), [created.id]);
  });

  test("4xx other than in-progress and 429 are not retried", async () => {
    let calls = 0;
    const counting = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const client = new OfferHub({ baseUrl: server.baseUrl, apiKey: MASTER_KEY, fetch: counting, maxRetries: 3 });
    await assert.rejects(client.users.get("usr_00000000000000000000000000"), NotFoundError);
    assert.equal(calls, 1);
  });

  test("5xx is retried, then surfaces as the typed error", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      return new Response(JSON.stringify({ error: { code: "PROVIDER_TIMEOUT", message: "Airtm did not answer", details: { provider: "airtm" }, request_id: "req_1" } }),
        { status: 504, headers: { "content-type": "application/json" } });
    };
    const client = new OfferHub({ baseUrl: server.baseUrl, apiKey: MASTER_KEY, fetch: failing, maxRetries: 2 });
    const error = await client.topups.get("topup_x").catch((e) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(calls, 3);
    assert.equal(error.requestId, "req_1");
  });
});

describe("error families", () => {
  test("each family is its own class with code, status, details and request id", async () => {
    const buyer = await user("buyer");
    const seller = await user("seller");
    const order = await hub.orders.create({ buyer_id: buyer.id, seller_id: seller.id, amount: "10.00", currency: "USD" });

    const funds = await hub.orders.reserve(order.id, { amount: "10.00" }).catch((e) => e);
    assert.ok(funds instanceof InsufficientFundsError, String(funds));
    assert.equal(funds.status, 422);
    assert.equal(funds.details.requested, "10.00");
    assert.ok(funds.requestId);

    const state = await hub.orders.fundEscrow(order.id).catch((e) => e);
    assert.ok(state instanceof InvalidStateError || state.code === "ESCROW_NOT_READY", `${state.code}`);

    const missing = await hub.orders.get("ord_00000000000000000000000000").catch((e) => e);
    assert.ok(missing instanceof NotFoundError);
    assert.equal(missing.code, "ORDER_NOT_FOUND");

    const auth = await new OfferHub({ baseUrl: server.baseUrl, apiKey: "ohk_test_notarealkeynotarealkeynotarealkey00" }).users.list().catch((e) => e);
    assert.ok(auth instanceof AuthenticationError);
    assert.equal(auth.status, 401);

    const invalid = await hub.orders.create({ buyer_id: buyer.id, seller_id: seller.id, amount: "10", currency: "USD" }).catch((e) => e);
    assert.ok(invalid instanceof ValidationError);
    assert.equal(invalid.code, "INVALID_AMOUNT_FORMAT");

    const key = `reuse-${unique("k")}`;
    await hub.users.create({ external_user_id: unique("a"), type: "buyer" }, { idempotencyKey: key });
    const reused = await hub.users.create({ external_user_id: unique("b"), type: "buyer" }, { idempotencyKey: key }).catch((e) => e);
    assert.ok(reused instanceof IdempotencyError);
    assert.equal(reused.code, "IDEMPOTENCY_KEY_REUSED");

    const limited = await new OfferHub({
      baseUrl: server.baseUrl, apiKey: MASTER_KEY, maxRetries: 0,
      fetch: async () => new Response(JSON.stringify({ error: { code: "RATE_LIMITED", message: "slow down", details: { retry_after: 2 }, request_id: "r" } }), { status: 429 }),
    }).users.list().catch((e) => e);
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.retryAfter, 2);

    await server.raw("POST", "/sim/airtm/_control/faults", { status: 500, count: 10 });
    try {
      const provider = await new OfferHub({ baseUrl: server.baseUrl, apiKey: MASTER_KEY, maxRetries: 0 }).topups
        .create({ user_id: buyer.id, amount: "5.00", currency: "USD", return_url: "https://m.example/r", cancel_url: "https://m.example/c" })
        .catch((e) => e);
      assert.ok(provider instanceof OfferHubError);
      assert.ok(provider instanceof ProviderError || provider.code === "AIRTM_USER_NOT_LINKED", provider.code);
    } finally {
      await server.raw("POST", "/sim/airtm/_control/faults", { status: 500, count: 0 }).catch(() => {});
    }
  });
});

describe("pagination", () => {
  test("all() walks 250 orders across pages, each once, newest first", async () => {
    const buyer = await user("buyer");
    const seller = await user("seller");
    const created = [];
    for (let i = 0; i < 250; i++) {
      created.push((await hub.orders.create({ buyer_id: buyer.id, seller_id: seller.id, amount: "1.00", currency: "USD" })).id);
    }
    const first = await hub.orders.list({ buyer_id: buyer.id, limit: 100 });
    assert.equal(first.data.length, 100);
    assert.equal(first.pagination.has_more, true);
    const seen = [];
    for await (const order of hub.orders.list({ buyer_id: buyer.id, limit: 100 }).all()) seen.push(order.id);
    assert.equal(seen.length, 250);
    assert.deepEqual(seen, [...created].reverse());
  });
});

describe("the event stream", () => {
  test("resumes after a server restart with nothing lost or doubled", async () => {
    const buyer = await user("buyer");
    const controller = new AbortController();
    const received = [];
    const stream = hub.events.stream({ types: ["balance.*"], user_id: buyer.id, signal: controller.signal });
    const reading = (async () => {
      for await (const event of stream) {
        received.push(event);
        if (received.length >= 6) controller.abort();
      }
    })();
    for (let i = 0; i < 3; i++) await credit(buyer.id, "1.00");
    await eventually(async () => received.length, (n) => n >= 3, "the first events did not arrive");
    await server.restart();
    for (let i = 0; i < 3; i++) await credit(buyer.id, "1.00");
    await Promise.race([reading, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received.length} events after the restart`)), 30_000))]);
    const ids = received.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    const stored = await hub.events.list({ user_id: buyer.id, types: ["balance.*"], limit: 100 });
    assert.deepEqual(ids, stored.data.map((e) => e.id).reverse(), "every stored event, in order");
  });
});

describe("webhooks", () => {
  test("a delivery verifies with the endpoint secret and a tampered one is refused", async () => {
    const deliveries = [];
    const port = await freePort();
    const receiver = createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end();
      });
    });
    await new Promise((r) => receiver.listen(port, "127.0.0.1", r));
    try {
      const endpoint = await hub.webhookEndpoints.create({ url: `http://127.0.0.1:${port}/hook`, types: ["user.created"] });
      const created = await user("buyer");
      const delivery = await eventually(async () => deliveries.find((d) => d.body.includes(created.id)), Boolean, "no webhook delivery arrived");
      const verified = verifyWebhook(endpoint.secret, delivery.headers, delivery.body);
      assert.equal(verified.type, "user.created");
      assert.equal(verified.data.resource_id, created.id);
      const tampered = delivery.body.replace(created.id, "usr_tampered");
      assert.throws(() => verifyWebhook(endpoint.secret, delivery.headers, tampered), (e) => e instanceof OfferHubError && e.code === "WEBHOOK_SIGNATURE_INVALID");
    } finally {
      receiver.close();
    }
  });
});
