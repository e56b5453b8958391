/**
 * The Spring-Data page layout HBS uses for PullEvseData and GetChargeDetailRecords (`?page=&size=`, 0-based).
 * @see DIGEST.md sections b (paged responses), d (paging)
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Opt, StatusCode } from './common.js';

const Count = Type.Integer({ minimum: 0 });

const Sort = Type.Object({
  sorted: Opt(Type.Boolean()),
  empty: Opt(Type.Boolean()),
  unsorted: Opt(Type.Boolean()),
});

/** Declared by OA-EMP for CDR pages only, but live PullEvseData answers carry it too (GUIDE). */
export const Pageable = Type.Object({
  sort: Opt(Sort),
  pageSize: Opt(Count),
  pageNumber: Opt(Count),
  offset: Opt(Count),
  paged: Opt(Type.Boolean()),
  unpaged: Opt(Type.Boolean()),
});

/** A page of `item`: `number` is the 0-based index, `numberOfElements` this page's count. @see DIGEST.md section d */
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

/** The TypeScript type of `Page(item)`. @see DIGEST.md section b */
export type PageOf<T extends TSchema> = Static<ReturnType<typeof Page<T>>>;
