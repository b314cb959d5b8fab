/* Civitas interface languages: the six UN languages (Arabic, Chinese,
 * English, French, Russian, Spanish), shared by the search page (loaded as
 * /static/civitas-i18n.js before civitas-render.js) and the widget
 * (/widget.js bundles this file, civitas-render.js and widget.js into one
 * function). Every word the page, the widget and the citation card show
 * is here, once.
 *
 * A message is a string, or an object of plural forms keyed by
 * Intl.PluralRules category ('one', 'other' ...) chosen by the variable n.
 * "{name}" in a message is replaced by the variable of that name. Messages
 * are text: callers insert them with textContent, never as HTML.
 *
 * English is the fallback for a language or a message that is missing.
 */
'use strict';

const CivitasI18n = (function () {
  const MESSAGES = {
    en: {
      pageTitle: 'Civitas: search human-rights documents',
      tagline: 'Search UN reports, resolutions and city human-rights charters, paragraph by paragraph.',
      skip: 'Skip to results',
      pageSearchLabel: 'Search documents',
      widgetSearchLabel: 'Search human-rights documents',
      widgetForm: 'Civitas document search',
      placeholder: 'e.g. "right to housing" local government',
      hint: 'Phrases in quotes, AND / OR / NOT,',
      search: 'Search',
      show: 'Show',
      groupDocument: 'documents with their best paragraphs',
      groupPassage: 'paragraphs, ranked',
      searching: 'Searching…',
      documentsFound: { one: '{n} document found{page}.', other: '{n} documents found{page}.' },
      paragraphsFound: { one: '{n} paragraph found{page}.', other: '{n} paragraphs found{page}.' },
      onPage: ', page {page}',
      noResults: 'No results.',
      searchFailed: 'Search failed: {message}',
      unavailable: 'Search is not available here (the search service did not answer or does not allow this site).',
      results: 'Results',
      searchResults: 'Search results',
      resultPages: 'Result pages',
      prev: 'Previous page',
      next: 'Next page',
      pageOf: 'Page {page} of {pages}',
      filters: 'Filters',
      filtersOn: 'Filters ({n} on)',
      clearFilters: 'Clear filters',
      facetLanguage: 'Language',
      facetType: 'Document type',
      facetBody: 'Body',
      facetYear: 'Year',
      facetFormat: 'Format',
      didYouMean: 'Did you mean {suggestion}?',
      allResults: 'All results and filters on {host}',
      scopeOn: 'Only {scope}.',
      scopeClear: 'Search all documents',
      copy: 'Copy citation',
      copyNamed: 'Copy citation: {citation}',
      copied: 'Copied',
      copyFailed: 'Copy failed',
      citationCopied: 'Citation copied: {citation}',
      copyManually: 'Press Ctrl+C to copy the selected citation.',
      citationField: 'Citation',
      original: 'Original',
      originalPage: 'Original, page {page}',
      cardLoading: 'Loading the passage…',
      cardMissing: 'Passage not found.',
      cardFailed: 'The passage could not be loaded.',
      footerApi: 'JSON API:',
      interfaceLanguage: 'Interface language',
    },
    fr: {
      pageTitle: 'Civitas : rechercher dans les documents relatifs aux droits de l’homme',
      tagline: 'Rapports et résolutions de l’ONU, chartes municipales des droits de l’homme : recherche paragraphe par paragraphe.',
      skip: 'Aller aux résultats',
      pageSearchLabel: 'Rechercher dans les documents',
      widgetSearchLabel: 'Rechercher dans les documents relatifs aux droits de l’homme',
      widgetForm: 'Recherche de documents Civitas',
      placeholder: 'p. ex. "droit au logement"',
      hint: 'Expressions entre guillemets, AND / OR / NOT,',
      search: 'Rechercher',
      show: 'Afficher',
      groupDocument: 'les documents et leurs meilleurs paragraphes',
      groupPassage: 'les paragraphes, par pertinence',
      searching: 'Recherche en cours…',
      documentsFound: { one: '{n} document trouvé{page}.', other: '{n} documents trouvés{page}.' },
      paragraphsFound: { one: '{n} paragraphe trouvé{page}.', other: '{n} paragraphes trouvés{page}.' },
      onPage: ', page {page}',
      noResults: 'Aucun résultat.',
      searchFailed: 'La recherche a échoué : {message}',
      unavailable: 'La recherche n’est pas disponible ici (le service de recherche n’a pas répondu ou n’autorise pas ce site).',
      results: 'Résultats',
      searchResults: 'Résultats de la recherche',
      resultPages: 'Pages de résultats',
      prev: 'Page précédente',
      next: 'Page suivante',
      pageOf: 'Page {page} sur {pages}',
      filters: 'Filtres',
      filtersOn: { one: 'Filtres ({n} actif)', other: 'Filtres ({n} actifs)' },
      clearFilters: 'Effacer les filtres',
      facetLanguage: 'Langue',
      facetType: 'Type de document',
      facetBody: 'Organe',
      facetYear: 'Année',
      facetFormat: 'Format',
      didYouMean: 'Vouliez-vous dire {suggestion} ?',
      allResults: 'Tous les résultats et les filtres sur {host}',
      scopeOn: 'Seulement {scope}.',
      scopeClear: 'Chercher dans tous les documents',
      copy: 'Copier la référence',
      copyNamed: 'Copier la référence : {citation}',
      copied: 'Copiée',
      copyFailed: 'Échec de la copie',
      citationCopied: 'Référence copiée : {citation}',
      copyManually: 'Appuyez sur Ctrl+C pour copier la référence sélectionnée.',
      citationField: 'Référence',
      original: 'Original',
      originalPage: 'Original, page {page}',
      cardLoading: 'Chargement du paragraphe…',
      cardMissing: 'Paragraphe introuvable.',
      cardFailed: 'Le paragraphe n’a pas pu être chargé.',
      footerApi: 'API JSON :',
      interfaceLanguage: 'Langue de l’interface',
    },
    es: {
      pageTitle: 'Civitas: buscar en documentos de derechos humanos',
      tagline: 'Busque en informes y resoluciones de la ONU y en cartas municipales de derechos humanos, párrafo por párrafo.',
      skip: 'Ir a los resultados',
      pageSearchLabel: 'Buscar en los documentos',
      widgetSearchLabel: 'Buscar en documentos de derechos humanos',
      widgetForm: 'Búsqueda de documentos de Civitas',
      placeholder: 'p. ej. "derecho a la vivienda"',
      hint: 'Frases entre comillas, AND / OR / NOT,',
      search: 'Buscar',
      show: 'Mostrar',
      groupDocument: 'documentos con sus mejores párrafos',
      groupPassage: 'párrafos, por relevancia',
      searching: 'Buscando…',
      documentsFound: { one: '{n} documento encontrado{page}.', other: '{n} documentos encontrados{page}.' },
      paragraphsFound: { one: '{n} párrafo encontrado{page}.', other: '{n} párrafos encontrados{page}.' },
      onPage: ', página {page}',
      noResults: 'No hay resultados.',
      searchFailed: 'La búsqueda falló: {message}',
      unavailable: 'La búsqueda no está disponible aquí (el servicio de búsqueda no respondió o no permite este sitio).',
      results: 'Resultados',
      searchResults: 'Resultados de la búsqueda',
      resultPages: 'Páginas de resultados',
      prev: 'Página anterior',
      next: 'Página siguiente',
      pageOf: 'Página {page} de {pages}',
      filters: 'Filtros',
      filtersOn: { one: 'Filtros ({n} activo)', other: 'Filtros ({n} activos)' },
      clearFilters: 'Quitar los filtros',
      facetLanguage: 'Idioma',
      facetType: 'Tipo de documento',
      facetBody: 'Órgano',
      facetYear: 'Año',
      facetFormat: 'Formato',
      didYouMean: '¿Quiso decir {suggestion}?',
      allResults: 'Todos los resultados y filtros en {host}',
      scopeOn: 'Solo {scope}.',
      scopeClear: 'Buscar en todos los documentos',
      copy: 'Copiar la cita',
      copyNamed: 'Copiar la cita: {citation}',
      copied: 'Copiada',
      copyFailed: 'No se pudo copiar',
      citationCopied: 'Cita copiada: {citation}',
      copyManually: 'Pulse Ctrl+C para copiar la cita seleccionada.',
      citationField: 'Cita',
      original: 'Original',
      originalPage: 'Original, página {page}',
      cardLoading: 'Cargando el párrafo…',
      cardMissing: 'No se encontró el párrafo.',
      cardFailed: 'No se pudo cargar el párrafo.',
      footerApi: 'API JSON:',
      interfaceLanguage: 'Idioma de la interfaz',
    },
    ru: {
      pageTitle: 'Civitas: поиск по документам о правах человека',
      tagline: 'Поиск по докладам и резолюциям ООН и городским хартиям прав человека, абзац за абзацем.',
      skip: 'Перейти к результатам',
      pageSearchLabel: 'Поиск по документам',
      widgetSearchLabel: 'Поиск по документам о правах человека',
      widgetForm: 'Поиск документов Civitas',
      placeholder: 'например, "право на жилище"',
      hint: 'Фразы в кавычках, AND / OR / NOT,',
      search: 'Найти',
      show: 'Показать',
      groupDocument: 'документы с лучшими абзацами',
      groupPassage: 'абзацы по релевантности',
      searching: 'Идёт поиск…',
      documentsFound: 'Найдено документов: {n}{page}.',
      paragraphsFound: 'Найдено абзацев: {n}{page}.',
      onPage: ', страница {page}',
      noResults: 'Ничего не найдено.',
      searchFailed: 'Ошибка поиска: {message}',
      unavailable: 'Поиск здесь недоступен (поисковая служба не ответила или не разрешает доступ этому сайту).',
      results: 'Результаты',
      searchResults: 'Результаты поиска',
      resultPages: 'Страницы результатов',
      prev: 'Предыдущая страница',
      next: 'Следующая страница',
      pageOf: 'Страница {page} из {pages}',
      filters: 'Фильтры',
      filtersOn: 'Фильтры (включено: {n})',
      clearFilters: 'Сбросить фильтры',
      facetLanguage: 'Язык',
      facetType: 'Тип документа',
      facetBody: 'Орган',
      facetYear: 'Год',
      facetFormat: 'Формат',
      didYouMean: 'Возможно, вы имели в виду {suggestion}?',
      allResults: 'Все результаты и фильтры на {host}',
      scopeOn: 'Только {scope}.',
      scopeClear: 'Искать во всех документах',
      copy: 'Копировать ссылку',
      copyNamed: 'Копировать ссылку: {citation}',
      copied: 'Скопировано',
      copyFailed: 'Не удалось скопировать',
      citationCopied: 'Ссылка скопирована: {citation}',
      copyManually: 'Нажмите Ctrl+C, чтобы скопировать выделенную ссылку.',
      citationField: 'Ссылка',
      original: 'Оригинал',
      originalPage: 'Оригинал, страница {page}',
      cardLoading: 'Загрузка абзаца…',
      cardMissing: 'Абзац не найден.',
      cardFailed: 'Не удалось загрузить абзац.',
      footerApi: 'JSON API:',
      interfaceLanguage: 'Язык интерфейса',
    },
    zh: {
      pageTitle: 'Civitas：搜索人权文件',
      tagline: '逐段搜索联合国报告、决议和城市人权宪章。',
      skip: '跳到结果',
      pageSearchLabel: '搜索文件',
      widgetSearchLabel: '搜索人权文件',
      widgetForm: 'Civitas 文件搜索',
      placeholder: '例如 "right to housing"',
      hint: '短语加引号，AND / OR / NOT，',
      search: '搜索',
      show: '显示',
      groupDocument: '文件及其最相关的段落',
      groupPassage: '段落，按相关性排序',
      searching: '正在搜索…',
      documentsFound: '找到 {n} 份文件{page}。',
      paragraphsFound: '找到 {n} 个段落{page}。',
      onPage: '，第 {page} 页',
      noResults: '没有结果。',
      searchFailed: '搜索失败：{message}',
      unavailable: '此处无法使用搜索（搜索服务没有响应，或不允许本网站访问）。',
      results: '结果',
      searchResults: '搜索结果',
      resultPages: '结果页',
      prev: '上一页',
      next: '下一页',
      pageOf: '第 {page} 页，共 {pages} 页',
      filters: '筛选',
      filtersOn: '筛选（已选 {n} 项）',
      clearFilters: '清除筛选',
      facetLanguage: '语言',
      facetType: '文件类型',
      facetBody: '机构',
      facetYear: '年份',
      facetFormat: '格式',
      didYouMean: '您是不是要找 {suggestion}？',
      allResults: '在 {host} 查看全部结果和筛选',
      scopeOn: '仅限 {scope}。',
      scopeClear: '搜索全部文件',
      copy: '复制引文',
      copyNamed: '复制引文：{citation}',
      copied: '已复制',
      copyFailed: '复制失败',
      citationCopied: '已复制引文：{citation}',
      copyManually: '按 Ctrl+C 复制已选中的引文。',
      citationField: '引文',
      original: '原文',
      originalPage: '原文，第 {page} 页',
      cardLoading: '正在加载段落…',
      cardMissing: '找不到该段落。',
      cardFailed: '无法加载该段落。',
      footerApi: 'JSON 接口：',
      interfaceLanguage: '界面语言',
    },
    ar: {
      pageTitle: 'Civitas: البحث في وثائق حقوق الإنسان',
      tagline: 'ابحث في تقارير الأمم المتحدة وقراراتها وفي مواثيق حقوق الإنسان في المدن، فقرةً فقرة.',
      skip: 'الانتقال إلى النتائج',
      pageSearchLabel: 'البحث في الوثائق',
      widgetSearchLabel: 'البحث في وثائق حقوق الإنسان',
      widgetForm: 'البحث في وثائق Civitas',
      placeholder: 'مثال: "الحق في السكن"',
      hint: 'العبارات بين علامتي تنصيص، AND / OR / NOT،',
      search: 'بحث',
      show: 'عرض',
      groupDocument: 'الوثائق مع أنسب فقراتها',
      groupPassage: 'الفقرات مرتبةً',
      searching: 'جارٍ البحث…',
      documentsFound: 'عدد الوثائق التي عُثر عليها: {n}{page}.',
      paragraphsFound: 'عدد الفقرات التي عُثر عليها: {n}{page}.',
      onPage: '، الصفحة {page}',
      noResults: 'لا توجد نتائج.',
      searchFailed: 'تعذّر البحث: {message}',
      unavailable: 'البحث غير متاح هنا (لم تستجب خدمة البحث أو أنها لا تسمح بهذا الموقع).',
      results: 'النتائج',
      searchResults: 'نتائج البحث',
      resultPages: 'صفحات النتائج',
      prev: 'الصفحة السابقة',
      next: 'الصفحة التالية',
      pageOf: 'الصفحة {page} من {pages}',
      filters: 'عوامل التصفية',
      filtersOn: 'عوامل التصفية (المفعّل منها: {n})',
      clearFilters: 'مسح عوامل التصفية',
      facetLanguage: 'اللغة',
      facetType: 'نوع الوثيقة',
      facetBody: 'الهيئة',
      facetYear: 'السنة',
      facetFormat: 'الصيغة',
      didYouMean: 'هل تقصد {suggestion}؟',
      allResults: 'كل النتائج وعوامل التصفية على {host}',
      scopeOn: 'فقط {scope}.',
      scopeClear: 'البحث في جميع الوثائق',
      copy: 'نسخ المرجع',
      copyNamed: 'نسخ المرجع: {citation}',
      copied: 'تم النسخ',
      copyFailed: 'تعذّر النسخ',
      citationCopied: 'تم نسخ المرجع: {citation}',
      copyManually: 'اضغط Ctrl+C لنسخ المرجع المحدد.',
      citationField: 'المرجع',
      original: 'الأصل',
      originalPage: 'الأصل، الصفحة {page}',
      cardLoading: 'جارٍ تحميل الفقرة…',
      cardMissing: 'لم يُعثر على الفقرة.',
      cardFailed: 'تعذّر تحميل الفقرة.',
      footerApi: 'واجهة JSON البرمجية:',
      interfaceLanguage: 'لغة الواجهة',
    },
  };

  /* The six, in the order UN documents list them, with their own names. */
  const LANGUAGES = [
    ['ar', 'العربية'], ['zh', '中文'], ['en', 'English'],
    ['fr', 'Français'], ['ru', 'Русский'], ['es', 'Español'],
  ];
  const RTL = ['ar'];

  /* The interface language for a BCP 47 tag ("fr-CA" is "fr", "zh-Hant"
   * is "zh"), or null when it is not one of the six. */
  function supported(tag) {
    if (typeof tag !== 'string') return null;
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    return Object.prototype.hasOwnProperty.call(MESSAGES, primary) ? primary : null;
  }

  /* The first of the candidates (an attribute, then the browser's
   * languages) that is one of the six; English when none is. */
  function choose(...candidates) {
    for (const c of candidates.flat()) {
      const lang = supported(c);
      if (lang) return lang;
    }
    return 'en';
  }

  function dir(lang) {
    return RTL.includes(lang) ? 'rtl' : 'ltr';
  }

  /* t(key, vars): the message in lang, with {name} replaced by vars.name
   * and the plural form chosen by vars.n. t.lang and t.dir tell which. */
  function translator(lang) {
    lang = supported(lang) || 'en';
    let plural = null;
    try {
      plural = new Intl.PluralRules(lang);
    } catch (e) { /* old browser: 'other' forms only */ }
    const t = function (key, vars) {
      vars = vars || {};
      let msg = key in MESSAGES[lang] ? MESSAGES[lang][key] : MESSAGES.en[key];
      if (msg === undefined) return key;
      if (typeof msg === 'object') {
        const form = plural && typeof vars.n === 'number' ? plural.select(vars.n) : 'other';
        msg = msg[form] || msg.other;
      }
      return msg.replace(/\{(\w+)\}/g, (m, name) =>
        (name in vars && vars[name] !== null && vars[name] !== undefined ? String(vars[name]) : m));
    };
    t.lang = lang;
    t.dir = dir(lang);
    return t;
  }

  return { LANGUAGES, supported, choose, dir, translator };
})();
