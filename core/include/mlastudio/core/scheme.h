// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mlastudio::core {

/** Execution schemes of attention; ids are those of docs/model.md and the command line. */
enum class Scheme {
    Mha,            //!< "mha": multi-head attention baseline with the model's dimensions
    MlaReuse,       //!< "mla-reuse": absorbed; attention runs on the latent cache
    MlaRecompute,   //!< "mla-recompute": K and V up-projected from the latent every step
    MlaReuseMerged, //!< "mla-reuse-merged": absorbed with precomputed merged matrices
    MlaNaive,       //!< "mla-naive": latent up-projected once, expanded K/V cached
    Gqa,            //!< "gqa": grouped-query baseline with n_kv KV heads
    Mqa,            //!< "mqa": multi-query baseline with one KV head
};

inline constexpr std::array<Scheme, 7> kAllSchemes = {
    Scheme::Mha, Scheme::MlaReuse, Scheme::MlaRecompute, Scheme::MlaReuseMerged,
    Scheme::MlaNaive, Scheme::Gqa, Scheme::Mqa,
};

/** The schemes that `auto` chooses between. */
inline constexpr std::array<Scheme, 4> kMlaSchemes = {
    Scheme::MlaReuse, Scheme::MlaRecompute, Scheme::MlaReuseMerged, Scheme::MlaNaive,
};

/** \return the id, e.g. "mla-reuse". */
std::string_view schemeId(Scheme scheme);
/** \return a display name, e.g. "MLA (reuse)". */
std::string_view schemeDisplayName(Scheme scheme);
/** \return the scheme for an id, or nothing if the id is unknown. */
std::optional<Scheme> schemeFromId(std::string_view id);
/** \return true for the schemes that cache the latent (they need d_c > 0). */
bool isMlaScheme(Scheme scheme);

} // namespace mlastudio::core
