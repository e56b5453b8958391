import type { StatusCode } from './messages.js';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from './operations.js';

export type PageRequest = { ok: true; page: number; size: number; clampedFrom?: number } | { ok: false; info: string };

/**
 * `?page=&size=` as HBS reads them: page is 0-based, size defaults to 20; a size over 2000 is served as 2000 (the
 * Spring page layout HBS uses clamps rather than refuses). @see PAGE_SIZE_MAX in operations.ts for the sources
 */
export function readPageRequest(query: URLSearchParams): PageRequest {
  const int = (name: string, fallback: number): number | string => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    return /^\d+$/.test(raw) ? Number(raw) : `query parameter ${name} must be a non-negative integer, got "${raw}"`;
  };
  const page = int('page', 0);
  const size = int('size', PAGE_SIZE_DEFAULT);
  if (typeof page === 'string') return { ok: false, info: page };
  if (typeof size === 'string') return { ok: false, info: size };
  if (size < 1) return { ok: false, info: `query parameter size must be at least 1, got ${size}` };
  if (size > PAGE_SIZE_MAX) return { ok: true, page, size: PAGE_SIZE_MAX, clampedFrom: size };
  return { ok: true, page, size };
}

/** One page of `items` in the Spring-Data layout HBS answers with. */
export function pageOf<T>(items: T[], page: number, size: number, status: StatusCode) {
  return pageWith(items.slice(page * size, page * size + size), items.length, page, size, status);
}

/** The page frame around `content`, which the caller already cut from `totalElements` items at `page`. */
export function pageWith<T>(content: T[], totalElements: number, page: number, size: number, status: StatusCode) {
  const totalPages = Math.ceil(totalElements / size);
  return {
    content,
    pageable: {
      sort: { sorted: false, empty: true, unsorted: true },
      pageSize: size,
      pageNumber: page,
      offset: page * size,
      paged: true,
      unpaged: false,
    },
    number: page,
    size,
    totalElements,
    totalPages,
    first: page === 0,
    last: page >= totalPages - 1,
    numberOfElements: content.length,
    empty: content.length === 0,
    StatusCode: status,
  };
}
