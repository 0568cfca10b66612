import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { catalogKeys } from "../../domain/catalog/keys.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import type { PageKey } from "../../http/cursor.ts";
import type {
  CatalogStore,
  Deleted,
  DeletedCatalogReader,
} from "../../use-cases/ports/catalog-store.ts";
import { batchGetAll } from "./batch.ts";
import { isConditionFailure, writeIf, writeOrThrow } from "./conditional-write.ts";
import { queryItems } from "./query-pages.ts";
import { transactInGroups } from "./transact-groups.ts";

const MAX_TRANSACTION_ITEMS = 100;
const STORE_FIELDS_NOT_REPLACED = new Set(["merchantId", "storeId", "offerIds", "createdAt"]);
/** Optional store fields: absent from a replacement means removed. */
const OPTIONAL_STORE_FIELDS = [
  "externalRef",
  "address",
  "openingHours",
  "footprintSource",
  "timeZoneDerived",
  "indexPending",
];

type Item = Record<string, unknown>;

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
}

/** Reasons of a cancelled transaction, one per action (`None` when that action was fine). */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (errorName(error) !== "TransactionCanceledException") return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons) return reasons.map((r) => r.Code);
  // Some engines only put the reasons in the message: "[ConditionalCheckFailed, None]".
  const m = /\[([^\]]*)\]/.exec((error as Error).message ?? "");
  return m?.[1]?.split(",").map((s) => s.trim());
}

function versionConflict(kind: string, expected: number): ConflictError {
  return new ConflictError(`The ${kind} is no longer at version ${expected}; reload and retry.`, {
    issues: [{ path: "version", reason: `the ${kind} changed meanwhile (expected ${expected})` }],
  });
}

function notFound(path: string, what: string): NotFoundError {
  return new NotFoundError(`${path}: ${what} not found`, {
    issues: [{ path, reason: `${what} not found` }],
  });
}

/** A failed condition inside a transaction, diagnosed by the caller like a single write's. */
function conditionFailed(): Error {
  return Object.assign(new Error("The conditional request failed"), {
    name: "ConditionalCheckFailedException",
  });
}

function refTaken(externalRef: string): ConflictError {
  return new ConflictError(
    `externalRef: another store of this merchant has the code ${externalRef}`,
    {
      issues: [{ path: "externalRef", reason: "is already the code of another store" }],
    },
  );
}

function storeItem(store: Store): Item {
  const { offerIds, ...rest } = store;
  return {
    ...catalogKeys.store(store.merchantId, store.storeId),
    entity: "store",
    ...rest,
    ...(offerIds.length > 0 ? { offerIds: new Set(offerIds) } : {}),
  };
}

function offerItem(offer: Offer): Item {
  return { ...catalogKeys.offer(offer.merchantId, offer.offerId), entity: "offer", ...offer };
}

function toStore(item: Item): Store {
  const { pk: _pk, sk: _sk, entity: _entity, offerIds, ...rest } = item;
  const ids = offerIds instanceof Set ? [...offerIds].map(String) : [];
  return { ...(rest as unknown as Omit<Store, "offerIds">), offerIds: ids.sort() };
}

function toOffer(item: Item): Offer {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as Offer;
}

function deletedStoreItem(store: Deleted<Store>): Item {
  const { offerIds: _offerIds, ...rest } = store;
  return {
    ...catalogKeys.deletedStore(store.merchantId, store.storeId),
    entity: "deleted-store",
    ...rest,
  };
}

function deletedOfferItem(offer: Deleted<Offer>): Item {
  return {
    ...catalogKeys.deletedOffer(offer.merchantId, offer.offerId),
    entity: "deleted-offer",
    ...offer,
  };
}

/** DynamoDB adapter for `CatalogStore` (catalog table, one partition per merchant). */
export function dynamoCatalogStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): CatalogStore & DeletedCatalogReader {
  async function get(key: Item): Promise<Item | undefined> {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: key }));
    return out.Item;
  }

  async function batchGet(keys: Item[]): Promise<Item[]> {
    const found = await batchGetAll(client, { [tableName]: { Keys: keys } });
    return found[tableName] ?? [];
  }

  async function list(merchantId: string, prefix: string, limit: number, startKey?: PageKey) {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": catalogKeys.partition(merchantId), ":prefix": prefix },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const last = out.LastEvaluatedKey;
    return {
      items: out.Items ?? [],
      lastKey: last ? { pk: String(last.pk), sk: String(last.sk) } : undefined,
    };
  }

  function linkAction(merchantId: string, storeId: string, offerId: string, add: boolean) {
    return {
      Update: {
        TableName: tableName,
        Key: catalogKeys.store(merchantId, storeId),
        UpdateExpression: add ? "ADD offerIds :o" : "DELETE offerIds :o",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":o": new Set([offerId]) },
      },
    };
  }

  /** Claims a store code for `store` (free, or already its own: a retried write). */
  function codePut(store: Store) {
    return {
      Put: {
        TableName: tableName,
        Item: {
          ...catalogKeys.storeCode(store.merchantId, store.externalRef ?? ""),
          entity: "storeCode",
          storeId: store.storeId,
        },
        ConditionExpression: "attribute_not_exists(pk) OR storeId = :id",
        ExpressionAttributeValues: { ":id": store.storeId },
      },
    };
  }

  /** Frees a store code, only if it is still this store's. */
  function codeDelete(store: { merchantId: string; storeId: string }, externalRef: string) {
    return {
      Delete: {
        TableName: tableName,
        Key: catalogKeys.storeCode(store.merchantId, externalRef),
        ConditionExpression: "attribute_not_exists(pk) OR storeId = :id",
        ExpressionAttributeValues: { ":id": store.storeId },
      },
    };
  }

  /** Runs a transaction; maps a failed condition on action i via `onFailure(i)`. */
  async function transact(
    items: NonNullable<TransactWriteCommandInput["TransactItems"]>,
    onFailure: (index: number) => Error,
  ): Promise<void> {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      const failed = codes?.indexOf("ConditionalCheckFailed") ?? -1;
      if (failed >= 0) throw onFailure(failed);
      throw error;
    }
  }

  /** Clears the store's index mark if the store is still at `version` (alone or in a transaction). */
  const indexedUpdate = (merchantId: string, storeId: string, version: number) => ({
    TableName: tableName,
    Key: catalogKeys.store(merchantId, storeId),
    UpdateExpression: "REMOVE indexPending",
    ConditionExpression: "version = :v",
    ExpressionAttributeValues: { ":v": version },
  });

  async function markIndexed(merchantId: string, storeId: string, version: number) {
    // Not written when a newer write owns the mark now: it clears it when it has indexed.
    await writeIf(client, new UpdateCommand(indexedUpdate(merchantId, storeId, version)));
  }

  async function unlink(merchantId: string, storeId: string, offerIds: readonly string[]) {
    if (offerIds.length === 0) return;
    // Not written when the store is gone.
    await writeIf(
      client,
      new UpdateCommand({
        TableName: tableName,
        Key: catalogKeys.store(merchantId, storeId),
        UpdateExpression: "DELETE offerIds :o",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":o": new Set(offerIds) },
      }),
    );
  }

  const createFailure = (index: number) =>
    index === 0
      ? new ConflictError("offerId: already exists")
      : notFound(`storeIds/${index - 1}`, "store");

  return {
    async getStore(merchantId, storeId) {
      const item = await get(catalogKeys.store(merchantId, storeId));
      return item ? toStore(item) : undefined;
    },

    async storeIdByRef(merchantId, externalRef) {
      const item = await get(catalogKeys.storeCode(merchantId, externalRef));
      return item ? String(item.storeId) : undefined;
    },

    async getOffer(merchantId, offerId) {
      const item = await get(catalogKeys.offer(merchantId, offerId));
      return item ? toOffer(item) : undefined;
    },

    async getStores(keys) {
      const unique = new Map(keys.map((k) => [`${k.merchantId}\n${k.storeId}`, k]));
      const items = await batchGet(
        [...unique.values()].map((k) => catalogKeys.store(k.merchantId, k.storeId)),
      );
      return items.map(toStore);
    },

    async getOffers(keys) {
      const unique = new Map(keys.map((k) => [`${k.merchantId}\n${k.offerId}`, k]));
      const items = await batchGet(
        [...unique.values()].map((k) => catalogKeys.offer(k.merchantId, k.offerId)),
      );
      return items.map(toOffer);
    },

    async listStores(merchantId, limit, startKey) {
      const page = await list(merchantId, catalogKeys.storePrefix, limit, startKey);
      return { items: page.items.map(toStore), lastKey: page.lastKey };
    },

    async listOffers(merchantId, limit, startKey) {
      const page = await list(merchantId, catalogKeys.offerPrefix, limit, startKey);
      return { items: page.items.map(toOffer), lastKey: page.lastKey };
    },

    async createStore(store) {
      const put = {
        TableName: tableName,
        Item: storeItem(store),
        ConditionExpression: "attribute_not_exists(pk)",
      };
      if (store.externalRef !== undefined) {
        await transact([{ Put: put }, codePut(store)], (index) =>
          index === 0
            ? new ConflictError("storeId: already exists")
            : refTaken(store.externalRef ?? ""),
        );
        return;
      }
      await writeOrThrow(
        client,
        new PutCommand(put),
        () => new ConflictError("storeId: already exists"),
      );
    },

    async replaceStore(store, expectedVersion, previousRef) {
      // An update, not a put: the offer links on the item belong to offer writes, not to us.
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ":expected": expectedVersion };
      const sets: string[] = [];
      const removes: string[] = [];
      const fields = new Set([...Object.keys(store), ...OPTIONAL_STORE_FIELDS]);
      [...fields].forEach((field, i) => {
        if (STORE_FIELDS_NOT_REPLACED.has(field)) return;
        const value = (store as unknown as Item)[field];
        names[`#f${i}`] = field;
        if (value === undefined) removes.push(`#f${i}`);
        else {
          sets.push(`#f${i} = :v${i}`);
          values[`:v${i}`] = value;
        }
      });
      const update = {
        TableName: tableName,
        Key: catalogKeys.store(store.merchantId, store.storeId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: "attribute_exists(pk) AND version = :expected",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      try {
        if (previousRef === store.externalRef) {
          await client.send(new UpdateCommand(update));
        } else {
          const actions: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
            { Update: update },
          ];
          if (store.externalRef !== undefined) actions.push(codePut(store));
          if (previousRef !== undefined) actions.push(codeDelete(store, previousRef));
          await transact(actions, (index) =>
            index === 1 && store.externalRef !== undefined
              ? refTaken(store.externalRef)
              : conditionFailed(),
          );
        }
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (!(await get(catalogKeys.store(store.merchantId, store.storeId)))) {
          throw notFound("storeId", "store");
        }
        throw versionConflict("store", expectedVersion);
      }
    },

    async deleteStore(merchantId, storeId, expectedVersion, snapshot, storeCode) {
      const externalRef = snapshot?.externalRef ?? storeCode;
      const key = catalogKeys.store(merchantId, storeId);
      const remove = {
        TableName: tableName,
        Key: key,
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(offerIds)${
          expectedVersion === undefined ? "" : " AND version = :expected"
        }`,
        ...(expectedVersion === undefined
          ? {}
          : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
      };
      try {
        if (snapshot || externalRef !== undefined) {
          // The code goes with the store, so it is free for another store at once.
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Delete: remove },
                ...(snapshot
                  ? [{ Put: { TableName: tableName, Item: deletedStoreItem(snapshot) } }]
                  : []),
                ...(externalRef !== undefined
                  ? [codeDelete({ merchantId, storeId }, externalRef)]
                  : []),
              ],
            }),
          );
        } else {
          await client.send(new DeleteCommand(remove));
        }
      } catch (error) {
        const refused =
          isConditionFailure(error) || cancellationCodes(error)?.[0] === "ConditionalCheckFailed";
        if (!refused) throw error;
        const current = await get(key);
        if (!current) throw notFound("storeId", "store");
        const store = toStore(current);
        if (store.offerIds.length > 0) {
          throw new ConflictError(
            `storeId: offers ${store.offerIds.join(", ")} still list this store; remove it from them (or delete them) first.`,
            {
              issues: [{ path: "storeId", reason: "is still listed by offers" }],
              extensions: { offerIds: store.offerIds },
            },
          );
        }
        throw versionConflict("store", expectedVersion ?? store.version);
      }
    },

    unlinkOffers: unlink,

    markIndexed,

    async markIndexedMany(stores) {
      const cancelled = await transactInGroups(
        client,
        stores.map((st) => ({
          action: { Update: indexedUpdate(st.merchantId, st.storeId, st.version) },
          keys: [st.storeId],
        })),
      );
      // One by one where a newer write got in (its own write clears the mark then).
      for (const st of stores.filter((x) => cancelled.has(x.storeId))) {
        await markIndexed(st.merchantId, st.storeId, st.version);
      }
    },

    async storeIdsByRefs(merchantId, refs) {
      const found = await batchGetAll(client, {
        [tableName]: {
          Keys: [...new Set(refs)].map((ref) => catalogKeys.storeCode(merchantId, ref)),
          ConsistentRead: true,
        },
      });
      const ids = new Map<string, string>();
      for (const item of found[tableName] ?? []) {
        ids.set(
          String(item.sk).slice(catalogKeys.storeCode(merchantId, "").sk.length),
          String(item.storeId),
        );
      }
      return ids;
    },

    async getStoresConsistent(keys) {
      const unique = new Map(keys.map((k) => [`${k.merchantId}\n${k.storeId}`, k]));
      const found = await batchGetAll(client, {
        [tableName]: {
          Keys: [...unique.values()].map((k) => catalogKeys.store(k.merchantId, k.storeId)),
          ConsistentRead: true,
        },
      });
      return (found[tableName] ?? []).map(toStore);
    },

    async createStores(stores) {
      return transactInGroups(
        client,
        stores.flatMap((store) => {
          const put = {
            action: {
              Put: {
                TableName: tableName,
                Item: storeItem(store),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            keys: [store.storeId],
          };
          return store.externalRef === undefined
            ? [put]
            : [put, { action: codePut(store), keys: [store.storeId] }];
        }),
      );
    },

    async createOffer(offer) {
      await transact(
        [
          {
            Put: {
              TableName: tableName,
              Item: offerItem(offer),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...offer.storeIds.map((s) => linkAction(offer.merchantId, s, offer.offerId, true)),
        ],
        createFailure,
      );
    },

    async replaceOffer(offer, expectedVersion, previousStoreIds) {
      const before = new Set(previousStoreIds);
      const after = new Set(offer.storeIds);
      const added = offer.storeIds.filter((s) => !before.has(s));
      const removed = previousStoreIds.filter((s) => !after.has(s));
      const put = {
        Put: {
          TableName: tableName,
          Item: offerItem(offer),
          ConditionExpression: "version = :expected",
          ExpressionAttributeValues: { ":expected": expectedVersion },
        },
      };
      const adds = added.map((s) => linkAction(offer.merchantId, s, offer.offerId, true));
      const removes = removed.map((s) => linkAction(offer.merchantId, s, offer.offerId, false));
      const fitsOne = 1 + adds.length + removes.length <= MAX_TRANSACTION_ITEMS;
      await transact([put, ...adds, ...(fitsOne ? removes : [])], (index) =>
        index === 0
          ? versionConflict("offer", expectedVersion)
          : index <= added.length
            ? notFound(`storeIds/${offer.storeIds.indexOf(added[index - 1] ?? "")}`, "store")
            : versionConflict("offer", expectedVersion),
      );
      if (!fitsOne) {
        // A stale link only blocks deleting that store until `unlinkOffers` repairs it.
        for (const storeId of removed) {
          await unlink(offer.merchantId, storeId, [offer.offerId]);
        }
      }
    },

    async deleteOffer(offer, expectedVersion, deletedAt) {
      const keep =
        deletedAt === undefined
          ? []
          : [{ Put: { TableName: tableName, Item: deletedOfferItem({ ...offer, deletedAt }) } }];
      const remove = {
        Delete: {
          TableName: tableName,
          Key: catalogKeys.offer(offer.merchantId, offer.offerId),
          ConditionExpression: "version = :expected",
          ExpressionAttributeValues: { ":expected": expectedVersion },
        },
      };
      let linked = [...offer.storeIds];
      for (let attempt = 0; ; attempt++) {
        let missingStore = false;
        await transact(
          [
            remove,
            ...linked.map((s) => linkAction(offer.merchantId, s, offer.offerId, false)),
            ...keep,
          ],
          (index) => {
            missingStore = index > 0;
            return versionConflict("offer", expectedVersion);
          },
        ).catch((error: unknown) => {
          if (!missingStore || attempt > 0) throw error;
        });
        if (!missingStore) return;
        // A listed store that no longer exists has nothing to unlink: drop it and retry once.
        const existing = await batchGet(linked.map((s) => catalogKeys.store(offer.merchantId, s)));
        const ids = new Set(existing.map((item) => String(item.storeId)));
        linked = linked.filter((s) => ids.has(s));
      }
    },

    async getDeletedStores(keys) {
      const items = await batchGet(
        keys.map((k) => catalogKeys.deletedStore(k.merchantId, k.storeId)),
      );
      return items.map((item) => ({ ...toStore(item), deletedAt: String(item.deletedAt) }));
    },

    async getDeletedOffers(keys) {
      const items = await batchGet(
        keys.map((k) => catalogKeys.deletedOffer(k.merchantId, k.offerId)),
      );
      return items.map((item) => ({ ...toOffer(item), deletedAt: String(item.deletedAt) }));
    },

    async listDeletedOffers(merchantId) {
      const items = await queryItems(client, {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": catalogKeys.partition(merchantId),
          ":prefix": catalogKeys.deletedOfferPrefix,
        },
      });
      return items.map((item) => ({ ...toOffer(item), deletedAt: String(item.deletedAt) }));
    },
  };
}
