/**
 * The Spring-Data page layout HBS uses for PullEvseData and GetChargeDetailRecords (`?page=&size=`, 0-based).
 * @see OICP 2.3 EMP OpenAPI, schemas eRoamingEVSEData and eRoamingChargeDetailRecords; OICP 2.3 EMP, 02 Services
 *   and Operations, eRoamingPullEvseData and eRoamingGetChargeDetailRecords (page and size)
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Opt, StatusCode } from './common.js';

const Count = Type.Integer({ minimum: 0 });

const Sort = Type.Object({
  sorted: Opt(Type.Boolean()),
  empty: Opt(Type.Boolean()),
  unsorted: Opt(Type.Boolean()),
});

/**
 * Declared by the EMP OpenAPI for CDR pages only, but live PullEvseData answers carry it too (Hubject's OICP 2.3
 * integration guide, 01-eRoamingPullEvseData for EMPs).
 */
export const Pageable = Type.Object({
  sort: Opt(Sort),
  pageSize: Opt(Count),
  pageNumber: Opt(Count),
  offset: Opt(Count),
  paged: Opt(Type.Boolean()),
  unpaged: Opt(Type.Boolean()),
});

/**
 * A page of `item`: `number` is the 0-based index, `numberOfElements` this page's count.
 * @see OICP 2.3 EMP OpenAPI, schema eRoamingChargeDetailRecords
 */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    content: Type.Array(item),
    number: Count,
    size: Count,
    totalElements: Count,
    totalPages: Count,
    first: Type.Boolean(),
    last: Type.Boolean(),
    numberOfElements: Count,
    StatusCode,
    pageable: Opt(Pageable),
    sort: Opt(Sort),
    empty: Opt(Type.Boolean()),
  });

/** The TypeScript type of `Page(item)`. */
export type PageOf<T extends TSchema> = Static<ReturnType<typeof Page<T>>>;
