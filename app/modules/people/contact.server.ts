import type { PhoneBook } from "~/modules/notifications/sources";
import { decrypt } from "~/modules/people/pii.server";

/** Where a user's SMS goes: the phone of the person record their account belongs to, opened only to send. */
export const phoneBook: PhoneBook = {
  phoneOf: (db, userId) =>
    db
      .selectFrom("app_user")
      .innerJoin("person", "person.id", "app_user.person_id")
      .select(["person.phone_cipher", "person.phone_hash", "person.phone_masked", "person.org_unit_id"])
      .where("app_user.id", "=", userId)
      .executeTakeFirst(),
  open: decrypt,
};
