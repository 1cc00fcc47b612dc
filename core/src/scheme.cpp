// SPDX-License-Identifier: MIT
#include "mlastudio/core/scheme.h"

namespace mlastudio::core {

std::string_view schemeId(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Mha: return "mha";
    case Scheme::MlaReuse: return "mla-reuse";
    case Scheme::MlaRecompute: return "mla-recompute";
    case Scheme::MlaReuseMerged: return "mla-reuse-merged";
    case Scheme::MlaNaive: return "mla-naive";
    case Scheme::Gqa: return "gqa";
    case Scheme::Mqa: return "mqa";
    }
    return "?";
}

std::string_view schemeDisplayName(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Mha: return "MHA";
    case Scheme::MlaReuse: return "MLA (reuse)";
    case Scheme::MlaRecompute: return "MLA (recompute)";
    case Scheme::MlaReuseMerged: return "MLA (reuse, merged)";
    case Scheme::MlaNaive: return "MLA (naive)";
    case Scheme::Gqa: return "GQA";
    case Scheme::Mqa: return "MQA";
    }
    return "?";
}

std::optional<Scheme> schemeFromId(std::string_view id)
{
    for (Scheme s : kAllSchemes)
        if (schemeId(s) == id)
            return s;
    return std::nullopt;
}

bool isMlaScheme(Scheme scheme)
{
    for (Scheme s : kMlaSchemes)
        if (s == scheme)
            return true;
    return false;
}

} // namespace mlastudio::core
