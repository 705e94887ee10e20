# Pelican settings for the benchmark: the same news corpus, paginated lists, tags, feeds.
AUTHOR = "区总工会宣传部"
SITENAME = "龙岗区总工会"
SITEURL = "https://gonghui.example.org"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_PAGINATION = 10
MARKDOWN = {"extension_configs": {"markdown.extensions.toc": {}, "markdown.extensions.tables": {}}}
FEED_ALL_ATOM = "feed.xml"
FEED_ALL_RSS = "rss.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
