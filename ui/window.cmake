# SPDX-License-Identifier: MIT
# Document, commands, controls and main window.
target_sources(mlastudio_ui PRIVATE
)
