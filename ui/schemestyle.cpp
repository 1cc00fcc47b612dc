// SPDX-License-Identifier: MIT
#include "schemestyle.h"

namespace mlastudio::ui {

QColor schemeColor(core::Scheme scheme)
{
    // Okabe & Ito (2008), "Color Universal Design".
    switch (scheme) {
    case core::Scheme::Mha: return QColor(0x00, 0x00, 0x00);            // black
    case core::Scheme::MlaReuse: return QColor(0x00, 0x72, 0xB2);       // blue
    case core::Scheme::MlaRecompute: return QColor(0xD5, 0x5E, 0x00);   // vermillion
    case core::Scheme::MlaReuseMerged: return QColor(0x00, 0x9E, 0x73); // bluish green
    case core::Scheme::MlaNaive: return QColor(0xCC, 0x79, 0xA7);       // reddish purple
    case core::Scheme::Gqa: return QColor(0xE6, 0x9F, 0x00);            // orange
    case core::Scheme::Mqa: return QColor(0x56, 0xB4, 0xE9);            // sky blue
    }
    return Qt::gray;
}

Qt::PenStyle schemeLineStyle(core::Scheme scheme)
{
    switch (scheme) {
    case core::Scheme::Mha: return Qt::SolidLine;
    case core::Scheme::MlaReuse: return Qt::SolidLine;
    case core::Scheme::MlaRecompute: return Qt::DashLine;
    case core::Scheme::MlaReuseMerged: return Qt::DashDotLine;
    case core::Scheme::MlaNaive: return Qt::DotLine;
    case core::Scheme::Gqa: return Qt::DashDotDotLine;
    case core::Scheme::Mqa: return Qt::DotLine;
    }
    return Qt::SolidLine;
}

SchemeMarker schemeMarker(core::Scheme scheme)
{
    switch (scheme) {
    case core::Scheme::Mha: return SchemeMarker::Square;
    case core::Scheme::MlaReuse: return SchemeMarker::Circle;
    case core::Scheme::MlaRecompute: return SchemeMarker::Triangle;
    case core::Scheme::MlaReuseMerged: return SchemeMarker::Diamond;
    case core::Scheme::MlaNaive: return SchemeMarker::TriangleInverted;
    case core::Scheme::Gqa: return SchemeMarker::Cross;
    case core::Scheme::Mqa: return SchemeMarker::Plus;
    }
    return SchemeMarker::Circle;
}

QPen schemePen(core::Scheme scheme, double width)
{
    QPen pen(schemeColor(scheme), width, schemeLineStyle(scheme));
    pen.setCapStyle(Qt::FlatCap);
    return pen;
}

QString schemeName(core::Scheme scheme)
{
    const std::string_view n = core::schemeDisplayName(scheme);
    return QString::fromUtf8(n.data(), qsizetype(n.size()));
}

QString schemeShortName(core::Scheme scheme)
{
    switch (scheme) {
    case core::Scheme::Mha: return QStringLiteral("MHA");
    case core::Scheme::MlaReuse: return QStringLiteral("reuse");
    case core::Scheme::MlaRecompute: return QStringLiteral("recompute");
    case core::Scheme::MlaReuseMerged: return QStringLiteral("merged");
    case core::Scheme::MlaNaive: return QStringLiteral("naive");
    case core::Scheme::Gqa: return QStringLiteral("GQA");
    case core::Scheme::Mqa: return QStringLiteral("MQA");
    }
    return schemeIdString(scheme);
}

QString schemeIdString(core::Scheme scheme)
{
    const std::string_view n = core::schemeId(scheme);
    return QString::fromUtf8(n.data(), qsizetype(n.size()));
}

} // namespace mlastudio::ui
