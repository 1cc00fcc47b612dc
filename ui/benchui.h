// SPDX-License-Identifier: MIT
#pragma once

class QTextStream;

namespace mlastudio::ui {

/**
 * Measures interactive latency: builds a Scenario and a MainWindow with every view visible,
 * moves the control panel's sliders programmatically across several fields and times each move
 * from the value change to the end of the last replot of the visible plots. Prints, one figure a
 * line: the cold start (process start to the first paint of the window), slider-to-replot p50,
 * p95 and max in milliseconds, and the peak resident memory. Needs a QApplication (offscreen is fine).
 * \return 0 on success, 1 if no QApplication exists.
 */
int runBenchUi(QTextStream &out, int moves = 300);

/**
 * Soak test for leaks: \p moves random edits with every view visible (sliders of every field at
 * random positions including both ends, precision changes, undo/redo bursts, preset switches,
 * reference pins). Prints the resident memory at the start, after warm-up and every 1000 moves,
 * the growth per 1000 moves after warm-up, and the peak resident memory.
 * \return 0 on success, 1 if no QApplication exists.
 */
int runSoak(QTextStream &out, int moves);

} // namespace mlastudio::ui
