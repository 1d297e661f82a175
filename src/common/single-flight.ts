/** Concurrent calls with one key share the first one's promise until it settles. */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running;
    const flight = call().finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }
}
