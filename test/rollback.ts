import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from "kysely";
import { DialectWrapper } from "../db";

/**
 * A dialect layer that can run a stretch of work on one connection inside a transaction that is
 * rolled back afterwards; the app's own transactions inside it become savepoints. The
 * authorisation matrix uses it so every request meets the same records, whatever the one before
 * it did.
 */
export class RollbackDialect extends DialectWrapper {
  private held: DatabaseConnection | null = null;
  /**
   * Connections held for a stretch and not leased again since: work the app leaves running after a request (an
   * SMS's outcome written once the provider answers) may release one after the stretch ended, and must not hand it
   * back to the pool a second time.
   */
  private lent = new WeakSet<DatabaseConnection>();
  private driver: Driver | null = null;
  private savepoints = 0;

  createDriver(): Driver {
    const driver = (this.driver = this.inner.createDriver());
    const run = (connection: DatabaseConnection, statement: string) => connection.executeQuery(CompiledQuery.raw(statement)).then(() => undefined);
    return {
      init: () => driver.init(),
      acquireConnection: async () => {
        if (this.held) return this.held;
        // A fresh lease from the pool: released as usual, whatever it was lent for before.
        const connection = await driver.acquireConnection();
        this.lent.delete(connection);
        return connection;
      },
      releaseConnection: async (connection) => {
        if (!this.lent.has(connection)) await driver.releaseConnection(connection);
      },
      beginTransaction: (connection, settings: TransactionSettings) =>
        connection === this.held ? run(connection, `savepoint app_${++this.savepoints}`) : driver.beginTransaction(connection, settings),
      commitTransaction: (connection) =>
        connection === this.held ? run(connection, `release savepoint app_${this.savepoints--}`) : driver.commitTransaction(connection),
      rollbackTransaction: (connection) =>
        connection === this.held ? run(connection, `rollback to savepoint app_${this.savepoints--}`) : driver.rollbackTransaction(connection),
      destroy: () => driver.destroy(),
    };
  }

  /** Runs `work` with every query on one connection, then undoes whatever it wrote. */
  async rolledBack<T>(work: () => Promise<T>): Promise<T> {
    if (!this.driver) throw new Error("the database has not been used yet");
    const connection = await this.driver.acquireConnection();
    await connection.executeQuery(CompiledQuery.raw("begin"));
    this.held = connection;
    this.lent.add(connection);
    this.savepoints = 0;
    try {
      return await work();
    } finally {
      this.held = null;
      await connection.executeQuery(CompiledQuery.raw("rollback"));
      await this.driver.releaseConnection(connection);
    }
  }
}
