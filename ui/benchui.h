// SPDX-License-Identifier: MIT
#pragma once

class QTextStream;

namespace mlastudio::ui {

/**
 * Measures interactive latency: builds a Scenario and a MainWindow with every view visible,
 * moves the control panel's sliders programmatically across several fields and times each move
 * from the value change to the end of the last replot of the visible plots. Prints p50, p95 and
 * max in milliseconds to \p out. Needs a QApplication (offscreen is fine).
 * \return 0 on success, 1 if no QApplication exists.
 */
int runBenchUi(QTextStream &out, int moves = 300);

} // namespace mlastudio::ui
