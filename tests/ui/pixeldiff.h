// SPDX-License-Identifier: MIT
// How two rendered images differ, for the GUI tests that compare pixels.
#pragma once

#include <QImage>

#include <algorithm>
#include <cstdlib>

namespace mlastudio::ui::test {

struct PixelDifference {
    int largest = 0;  //!< the largest difference of one channel (0–255)
    int pixels = 0;   //!< the pixels that differ at all
};

/** \return how \p a and \p b differ, pixel by pixel; images of different sizes give largest 256 and
 *  pixels -1, which no "equal" and no "different by more than N pixels" check accepts. */
inline PixelDifference pixelDifference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return {256, -1};
    PixelDifference d;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            if (p == q)
                continue;
            ++d.pixels;
            d.largest = std::max({d.largest, std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                                  std::abs(qBlue(p) - qBlue(q)), std::abs(qAlpha(p) - qAlpha(q))});
        }
    return d;
}

} // namespace mlastudio::ui::test
