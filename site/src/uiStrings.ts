/**
 * UI strings Starlight 0.42 has no Chinese for (its zh-CN leaves the search dialog, Pagefind's strings,
 * in English), by locale `lang`. Loaded as Starlight's `i18n` collection (src/content.config.ts).
 */
export const uiStrings: Record<string, Record<string, string>> = {
  'zh-CN': {
    'heading.anchorLabel': '“{{title}}”一节',
    'pagefind.clear_search': '清除',
    'pagefind.load_more': '加载更多结果',
    'pagefind.search_label': '搜索本站',
    'pagefind.filters_label': '筛选',
    'pagefind.zero_results': '没有找到 [SEARCH_TERM] 的结果',
    'pagefind.many_results': '找到 [COUNT] 个 [SEARCH_TERM] 的结果',
    'pagefind.one_result': '找到 [COUNT] 个 [SEARCH_TERM] 的结果',
    'pagefind.alt_search': '没有找到 [SEARCH_TERM] 的结果，改为显示 [DIFFERENT_TERM] 的结果',
    'pagefind.search_suggestion': '没有找到 [SEARCH_TERM] 的结果。试试下面的搜索：',
    'pagefind.searching': '正在搜索 [SEARCH_TERM]……',
  },
};
