import type { HttpCore, RequestOptions } from "./http.js";

export interface Page<T> {
  data: T[];
  pagination: { has_more: boolean; next_cursor: string | null };
}

export type ListParams = { limit?: number; cursor?: string };

/** A list call: await it for one page, or iterate `.all()` for every item of every page. */
export class PageRequest<T> implements PromiseLike<Page<T>> {
  private first: Promise<Page<T>> | undefined;

  constructor(
    private readonly http: HttpCore,
    private readonly path: string,
    private readonly query: Record<string, unknown>,
    private readonly options?: RequestOptions,
  ) {}

  private fetchPage(cursor: string | undefined): Promise<Page<T>> {
    const query = { ...this.query, ...(cursor === undefined ? {} : { cursor }) } as Record<string, string>;
    return this.http.call<Page<T>>({ method: "GET", path: this.path, query, options: this.options });
  }

  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  private firstPage(): Promise<Page<T>> {
    this.first ??= this.fetchPage(this.query["cursor"] as string | undefined);
    return this.first;
  }

  /** Every item, page after page, following next_cursor until has_more is false. */
  async *all(): AsyncGenerator<T, void, undefined> {
    let page = await this.firstPage();
    for (;;) {
      yield* page.data;
      if (!page.pagination.has_more || page.pagination.next_cursor === null) return;
      page = await this.fetchPage(page.pagination.next_cursor);
    }
  }
}
