// SPDX-License-Identifier: MIT
#include "views/cachedtext.h"

#include "views/viewutil.h"

#include <QCache>
#include <QFontMetrics>
#include <QHashFunctions>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <optional>

namespace mlastudio::ui::cachedtext {

namespace {

struct Key {
    QFont font;
    QString text;
    int flags = 0;
    QSize size;
    QRgb color = 0;
    qreal pixelRatio = 1.0;
    int dpiX = 0;
    int dpiY = 0;
    bool antialiased = true;
    QPointF phase;  //!< where the rect's corner falls within a device pixel, [0, 1)
    int quarterTurns = 0;  //!< the text's rotation about the rect's corner, in 90° steps
    bool operator==(const Key &o) const
    {
        return flags == o.flags && size == o.size && phase.x() == o.phase.x() && phase.y() == o.phase.y() && color == o.color && pixelRatio == o.pixelRatio
            && dpiX == o.dpiX && dpiY == o.dpiY && antialiased == o.antialiased && quarterTurns == o.quarterTurns && text == o.text
            && font == o.font;
    }
};

size_t qHash(const Key &k, size_t seed = 0)
{
    return qHashMulti(seed, k.font, k.text, k.flags, k.size.width(), k.size.height(), k.color, k.dpiX, k.dpiY,
                      k.antialiased, k.phase.x(), k.phase.y(), k.quarterTurns);
}

struct Rendered {
    QImage image;       //!< the text on a transparent background, with a margin for glyph overhang
    QPoint imageOffset; //!< where the image's top left goes, relative to the rect's top left
    QRect bounds;       //!< what drawText reports as the bounding rect, relative to the rect's top left
};

// Images of texts: a few hundred labels of ~100 × 16 px each are ~2 MB; a long drag of a
// field that appears in labels makes new texts at every move, and the least recent go first.
constexpr qsizetype kCacheBytes = 4 * 1024 * 1024;

QCache<Key, Rendered> &cache()
{
    thread_local QCache<Key, Rendered> texts(kCacheBytes);
    return texts;
}

/** Texts drawn once and not (yet) rendered: a label that shows a value changes at every move of its
 *  field, and rendering it into an image would cost more than drawing it. The second time it is drawn,
 *  it is rendered. */
QCache<Key, bool> &seenOnce()
{
    thread_local QCache<Key, bool> texts(4096);
    return texts;
}

} // namespace

bool isCached(const QCPPainter *painter)
{
    // Exports draw the real text (vector output keeps it as text; PNG exports stay as they were).
    if (painter->modes() & (QCPPainter::pmNoCaching | QCPPainter::pmVectorized))
        return false;
    // Copying pixels is exact only under a translation; anything else draws directly.
    return painter->transform().type() <= QTransform::TxTranslate && painter->opacity() == 1.0
        && painter->compositionMode() == QPainter::CompositionMode_SourceOver;
}

namespace {

Rendered render(const Key &key, const QPaintDevice *device)
{
    const QFontMetrics metrics(key.font, device);
    const QRect local(QPoint(0, 0), key.size);
    const QRect bounds = metrics.boundingRect(local, key.flags, key.text);
    // Where the (turned) text lies relative to the rect's corner: the image holds that box.
    QTransform turn;
    turn.rotate(90.0 * key.quarterTurns);
    const QRect turned = key.quarterTurns == 0 ? bounds : turn.mapRect(QRectF(bounds)).toAlignedRect();
    // Glyphs may reach past the logical box (italics, bearings, hinting).
    const int margin = 2 + metrics.height() / 4;
    const QSize logical = turned.size() + QSize(2 * margin, 2 * margin);
    QImage image(QSize(int(std::ceil(logical.width() * key.pixelRatio)), int(std::ceil(logical.height() * key.pixelRatio))),
                 QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(key.pixelRatio);
    // The same resolution as the device, so that point sizes become the same pixel sizes.
    image.setDotsPerMeterX(int(std::lround(key.dpiX / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(key.dpiY / 0.0254)));
    image.fill(Qt::transparent);
    QPainter p(&image);
    // The glyphs are placed on the device's pixel grid: render them at the rect's own sub-pixel
    // position, so that the copy, put down on whole pixels, has the pixels drawText would draw there.
    // The phase is kept exact: text layout rounds positions, and a phase rounded to 1/64 px moves a
    // glyph by a pixel now and then.
    p.translate(key.phase / key.pixelRatio);
    p.setRenderHint(QPainter::TextAntialiasing, key.antialiased);
    p.setFont(key.font);
    p.setPen(QColor::fromRgba(key.color));
    const QPoint shift(margin - turned.x(), margin - turned.y());
    if (key.quarterTurns == 0) {
        p.drawText(local.translated(shift), key.flags, key.text);
    } else {
        // A quarter turn and a whole-pixel shift map the device's pixel grid onto itself: the glyphs
        // land on the same sub-pixel positions as on the device.
        p.translate(shift);
        p.rotate(90.0 * key.quarterTurns);
        p.drawText(local, key.flags, key.text);
    }
    p.end();
    return {image, -shift, bounds};
}

/** The cache behind drawText() and drawTurnedText(): \p rect's corner is at \p corner (logical
 *  coordinates of the painter, a plain translation), and the text is turned about it. \p direct
 *  draws the text without the cache. \return what drawText reports as the bounding rect, relative to
 *  the corner (unturned), or nothing where \p direct drew. */
template <typename Direct>
std::optional<QRect> drawCached(QCPPainter *painter, const QPointF &corner, int quarterTurns, const QRect &rect, int flags,
                                const QString &text, Direct direct)
{
    const QPaintDevice *device = painter->device();
    const QPointF deviceCorner = painter->deviceTransform().map(corner);
    // A corner a rounding error off a whole pixel is on it: the same text there hits the same image.
    const auto snapped = [](double v) {
        const double r = std::round(v);
        return std::abs(v - r) < 1e-6 ? r : v;
    };
    const QPointF whole(std::floor(snapped(deviceCorner.x())), std::floor(snapped(deviceCorner.y())));
    const QPointF phase(snapped(deviceCorner.x()) - whole.x(), snapped(deviceCorner.y()) - whole.y());
    const qreal ratio = device->devicePixelRatioF();
    Key key{painter->font(), text, flags, rect.size(), painter->pen().color().rgba(), ratio,
            device->logicalDpiX(), device->logicalDpiY(), painter->testRenderHint(QPainter::TextAntialiasing), phase,
            quarterTurns};
    Rendered drawn;
    if (const Rendered *hit = cache().object(key)) {
        drawn = *hit;
    } else if (!seenOnce().remove(key)) {
        seenOnce().insert(std::move(key), new bool(true));
        direct();
        return std::nullopt;
    } else {
        drawn = render(key, device);
        const qsizetype bytes = drawn.image.sizeInBytes();
        if (bytes < kCacheBytes)
            cache().insert(std::move(key), new Rendered(drawn), bytes);
    }
    // At whole device pixels: the sub-pixel part is in the image.
    painter->drawImage(corner + QPointF(drawn.imageOffset) - phase / ratio, drawn.image);
    return drawn.bounds;
}

} // namespace

void drawText(QCPPainter *painter, const QRect &rect, int flags, const QString &text, QRect *bounds)
{
    if (text.isEmpty() || !isCached(painter)) {
        painter->drawText(rect, flags, text, bounds);
        return;
    }
    const std::optional<QRect> drawn = drawCached(painter, QPointF(rect.topLeft()), 0, rect, flags, text,
                                                  [&] { painter->drawText(rect, flags, text, bounds); });
    if (drawn && bounds)
        *bounds = drawn->translated(rect.topLeft());
}

void drawTurnedText(QCPPainter *painter, const QPointF &origin, int quarterTurns, const QRect &rect, int flags, const QString &text)
{
    const auto direct = [&] {
        const QTransform old = painter->transform();
        painter->translate(origin);
        painter->rotate(90.0 * quarterTurns);
        painter->drawText(rect, flags, text);
        painter->setTransform(old);
    };
    if (text.isEmpty() || !isCached(painter) || quarterTurns < -1 || quarterTurns > 1) {
        direct();
        return;
    }
    // The rect's corner, where the turned painter puts it.
    QTransform turn;
    turn.rotate(90.0 * quarterTurns);
    drawCached(painter, origin + turn.map(QPointF(rect.topLeft())), quarterTurns, rect, flags, text, direct);
}

int cachedCount(bool clear)
{
    const int n = int(cache().count());
    if (clear) {
        cache().clear();
        seenOnce().clear();
    }
    return n;
}

void ItemText::draw(QCPPainter *painter)
{
    if (!isCached(painter) || !qFuzzyIsNull(mRotation)) {
        QCPItemText::draw(painter);
        return;
    }
    // QCPItemText::draw, measuring with the remembered metrics and drawing through the cache. On
    // screen the label's anchor is put on a whole device pixel (at most half a pixel from QCustomPlot's
    // place): a label that follows a point then draws the same pixels at every position, from the cache.
    QPointF pos(position->pixelPosition());
    const QPointF device = painter->deviceTransform().map(pos);
    pos += (QPointF(std::round(device.x()), std::round(device.y())) - device) / painter->device()->devicePixelRatioF();
    QTransform transform = painter->transform();
    transform.translate(pos.x(), pos.y());
    const QFont font = mainFont();
    painter->setFont(font);
    const int flags = Qt::TextDontClip | int(mTextAlignment);
    QRect textRect = viewutil::textBounds(font, flags, mText);
    QRect textBoxRect = textRect.adjusted(-mPadding.left(), -mPadding.top(), mPadding.right(), mPadding.bottom());
    const QPointF textPos = getTextDrawPoint(QPointF(0, 0), textBoxRect, mPositionAlignment);
    textRect.moveTopLeft(textPos.toPoint() + QPoint(mPadding.left(), mPadding.top()));
    textBoxRect.moveTopLeft(textPos.toPoint());
    const int clipPad = int(mainPen().widthF());  // as QCPItemText, which passes the double to QRect::adjusted
    const QRect boundingRect = textBoxRect.adjusted(-clipPad, -clipPad, clipPad, clipPad);
    if (!transform.mapRect(boundingRect).intersects(painter->transform().mapRect(clipRect())))
        return;
    painter->setTransform(transform);
    if ((mainBrush().style() != Qt::NoBrush && mainBrush().color().alpha() != 0)
        || (mainPen().style() != Qt::NoPen && mainPen().color().alpha() != 0)) {
        painter->setPen(mainPen());
        painter->setBrush(mainBrush());
        painter->drawRect(textBoxRect);
    }
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(mainColor()));
    cachedtext::drawText(painter, textRect, flags, mText);
}

void TextElement::draw(QCPPainter *painter)
{
    painter->setFont(mainFont());
    painter->setPen(QPen(mainTextColor()));
    cachedtext::drawText(painter, mRect, mTextFlags, mText, &mTextBoundingRect);
}

QSize TextElement::minimumOuterSizeHint() const
{
    QSize result = viewutil::textBounds(mFont, Qt::TextDontClip, mText).size();
    result.rwidth() += mMargins.left() + mMargins.right();
    result.rheight() += mMargins.top() + mMargins.bottom();
    return result;
}

QSize TextElement::maximumOuterSizeHint() const
{
    QSize result = viewutil::textBounds(mFont, Qt::TextDontClip, mText).size();
    result.setWidth(QWIDGETSIZE_MAX);
    result.rheight() += mMargins.top() + mMargins.bottom();
    return result;
}

} // namespace mlastudio::ui::cachedtext
