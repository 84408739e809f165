import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../src/guard/circuit-breaker.js";

describe("circuit breaker", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("opens after the threshold of consecutive failures and then refuses calls", () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000, now: c.now });

    breaker.failure();
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();

    expect(breaker.state).toBe("open");
    expect(breaker.allow()).toBe(false);
  });

  it("lets exactly one probe through after the cooldown, and closes when it succeeds", () => {
    const c = clock();
    const states: string[] = [];
    const breaker = new CircuitBreaker({
      threshold: 1,
      cooldownMs: 1000,
      now: c.now,
      onChange: (s) => states.push(s),
    });

    breaker.failure();
    c.advance(1000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);

    breaker.success();
    expect(breaker.state).toBe("closed");
    expect(states).toEqual(["open", "half-open", "closed"]);
  });

  it("reopens for another cooldown when the probe fails", () => {
    const c = clock();
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000, now: c.now });

    breaker.failure();
    c.advance(1000);
    breaker.allow();
    breaker.failure();

    expect(breaker.state).toBe("open");
    c.advance(999);
    expect(breaker.allow()).toBe(false);
  });

  it("forgets earlier failures after a success", () => {
    const breaker = new CircuitBreaker({ threshold: 2 });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe("closed");
  });
});

describe("circuit breaker under stragglers and misuse", () => {
  it("does not push the probe back when calls sent before it opened fail late", () => {
    let t = 0;
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000, now: () => t });

    breaker.failure();
    t = 900;
    breaker.failure();
    breaker.failure();
    t = 1000;

    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe("half-open");
  });

  it("releases the probe when it ends without telling anything about the store", () => {
    let t = 0;
    const breaker = new CircuitBreaker({ threshold: 1, cooldownMs: 1000, now: () => t });

    breaker.failure();
    t = 1000;
    expect(breaker.allow()).toBe(true);
    breaker.cancel();

    expect(breaker.state).toBe("half-open");
    expect(breaker.allow()).toBe(true);
  });
});
