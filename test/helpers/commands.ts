import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { EMBEDDED_CLIENT_OPTIONS } from '../../app/database.js';
import type { TestDatabase } from './database.js';

/**
 * Every command the driver sends from now on, as it leaves for the server: reconnects the test
 * file's database with command monitoring on (call it after useTestDatabase, at the top level).
 * Tests read the array; clearing it (`sent.length = 0`) starts a new count.
 */
export function watchCommands(database: TestDatabase): CommandStartedEvent[] {
  const sent: CommandStartedEvent[] = [];
  beforeAll(async () => {
    await mongoose.disconnect();
    await mongoose.connect(database.uri, { dbName: database.dbName, monitorCommands: true, ...(process.env.MONGODB_URI ? {} : EMBEDDED_CLIENT_OPTIONS) });
    mongoose.connection.getClient().on('commandStarted', (event) => sent.push(event));
  });
  return sent;
}
