# SPDX-License-Identifier: MIT
# The plot and text views, and figure export.
target_sources(mlastudio_ui PRIVATE
)
