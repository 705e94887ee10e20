"""Names vulture cannot see used: frameworks (Flask, Flask-Admin, WTForms), templates, tests.

test_dead_code.py runs vulture over cms/ and build.py with this file (settings in pyproject.toml's
[tool.vulture]; run ``.venv/bin/vulture`` to see the same report). Add a name here only with where
it is used; a name nothing uses is removed instead. ``_.name`` stands for an attribute or method.
"""
# ruff: noqa: B018, F821

# Flask-Admin reads these settings and calls these hooks on its views and list filters.
_.form_base_class
_.can_view_details
_.can_export
_.page_size_options
_.column_searchable_list
_.can_delete
_.column_formatters
_.get_pk_value
_.scaffold_sortable_columns
_.init_search
_.search_placeholder
_.scaffold_filters
_.scaffold_form
_.scaffold_list_form
_.get_list
_.get_one
_.create_model
_.update_model
_.delete_model
_.get_filters
_.operation
# Flask-Admin's list actions (cms/admin/bulk.py): @action methods found by name, and the check.
_.is_action_allowed
_.action_submit
_.action_publish
_.action_unpublish
_.action_delete
_.action_set_street
_.action_set_category
_.is_visible
_.inaccessible_callback
validators  # scaffold_list_form's signature is Flask-Admin's

# WTForms: field widgets, inline validate_<field> methods, form Meta, a field read by name.
_.widget
_.option_widget
_.validate_slug
_.validate_ends_at
_.validate_paste
_.Meta
_.csrf_time_limit
_.confirm

# Flask and Werkzeug read these attributes.
_.permanent  # session.permanent
_.session_interface
_.get_cookie_secure
_.content_length
_.no_cache

# openpyxl reads these when it saves a workbook.
_.font
_.freeze_panes

# Templates use these.
_.role_label  # admin/yizhan_base.html
_.has_prev  # partials/macros.html
_.has_next
_.as_of  # numbers.html
_.teaser  # home.html
_.href  # station_detail.html
_.app_href
_.hotline  # base.html's footer
_.icp
_.police_record

# Only part of a functools cache key: the file's modification time.
mtime_ns
# store_upload takes the upload's own name and deliberately ignores it (see its docstring).
original_name
# Marked for the translation catalogue, never read at run time.
BELOW_WEB_LAYER

# Used by tests: formulas the theme's scripts mirror, and results the tests read.
open_state
is_always_open
next_change
describe_change
wgs84_to_bd09
bd09_to_wgs84
haversine_m
walking_minutes
_.plan_reused
_.running
# Frozen-Flask calls it at the end of each freeze (cms/publish/freeze.py overrides it).
_._check_endpoints
# Werkzeug reads it when the form is parsed (cms/admin/corrections.py caps one endpoint).
_.max_content_length
# Revision.who: the history, revision and conflict templates show it (cms/admin/templates).
_.who
# WTForms asks a form's Meta for it (cms/admin/security.py: Chinese validator messages).
_.get_translations
# html.parser calls it for each start tag (cms/render/removed.py).
_.handle_starttag
# Flask's g: set when a form is filled from an autosaved draft, read back by g.get().
_.draft_restored
# Set on Flask's g by a refused 退回修改 and shown by the entry form (entries/edit.html).
_.reason_error
# Figures.posted_*: numbers.html shows the activities posted on the site apart from the tally.
_.posted_held
_.posted_upcoming
# Set on Flask's g by an over-long comment and shown back in its box (entries/edit.html).
_.comment_kept
