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
  private driver: Driver | null = null;
  private savepoints = 0;

  createDriver(): Driver {
    const driver = (this.driver = this.inner.createDriver());
    const run = (connection: DatabaseConnection, statement: string) => connection.executeQuery(CompiledQuery.raw(statement)).then(() => undefined);
    return {
      init: () => driver.init(),
      acquireConnection: async () => this.held ?? driver.acquireConnection(),
      releaseConnection: async (connection) => {
        if (connection !== this.held) await driver.releaseConnection(connection);
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
