// SPDX-License-Identifier: MIT
#include "mlastudio/core/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlastudio::core {

std::string formatSi(double value, const std::string &unit, int significant)
{
    if (!std::isfinite(value))
        return "n/a";
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"},
                    {1.0, ""},   {1e-3, "m"}, {1e-6, "µ"}, {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
    const double mag = std::fabs(value);
    double factor = 1.0;
    const char *prefix = "";
    if (mag > 0.0) {
        for (const auto &p : prefixes) {
            factor = p.factor;
            prefix = p.prefix;
            if (mag >= p.factor * 0.9995)
                break;
        }
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g %s%s", significant, value / factor, prefix, unit.c_str());
    return buf;
}

std::string formatTokenRate(double tokensPerS, const std::string &unit, int significant)
{
    if (!std::isfinite(tokensPerS) || std::fabs(tokensPerS) >= 1.0)
        return formatSi(tokensPerS, unit, significant);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g %s", significant, tokensPerS, unit.c_str());
    return buf;
}

std::string formatBytes(double bytes, int significant)
{
    if (std::isfinite(bytes) && std::fabs(bytes) < 999.5) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*g B", significant, bytes);  // no milli-bytes
        return buf;
    }
    return formatSi(bytes, "B", significant);
}

std::string formatBinaryBytes(double bytes, int significant)
{
    if (!std::isfinite(bytes))
        return "n/a";
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int i = 0;
    while (i < 5 && std::fabs(v) >= 1023.5) {
        v /= 1024.0;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g %s", significant, v, units[i]);
    return buf;
}

std::string fieldUnitText(const FieldInfo &field, double displayValue)
{
    std::string unit(field.unit);
    const bool countNoun = !unit.empty() && std::all_of(unit.begin(), unit.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    if (countNoun && unit.size() > 1 && unit.back() == 's' && displayValue == 1.0)
        unit.pop_back();
    return unit;
}

std::string formatFieldValue(const FieldInfo &field, double siValue, int significant)
{
    const double display = siValue / field.displayScale;
    if (!std::isfinite(display))
        return "n/a";
    char buf[64];
    // Whole numbers where %g would switch to an exponent: 3350 GB/s, not 3.35e+03 GB/s.
    if (field.integer || std::fabs(display) >= std::pow(10.0, significant))
        std::snprintf(buf, sizeof buf, "%.0f", display);
    else
        std::snprintf(buf, sizeof buf, "%.*g", significant, display);
    const std::string unit = fieldUnitText(field, field.integer ? std::round(display) : display);
    return unit.empty() ? std::string(buf) : std::string(buf) + " " + unit;
}

} // namespace mlastudio::core
