/**
 * Photos as thumbnails that open in a viewer, never as a raw file in a new tab: one photo large, zoom (buttons,
 * wheel, +/−/0 keys; drag to pan when zoomed), previous/next (arrows), and — when a case has photos from the report
 * and from the handling — "before | after" side by side. Esc closes; focus returns to the thumbnail.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../app/i18n.ts';

/** `url`: where the photo is read (default: the signed-in attachments API; the portal passes its public photo URL). */
export interface Photo { id: string; label: string; url?: string }

const src = (p: Photo) => p.url ?? `/api/v1/attachments/${encodeURIComponent(p.id)}`;

export function PhotoStrip({ photos, compareWith, compareLabel }: { photos: Photo[]; compareWith?: Photo[]; compareLabel?: string }) {
  const [open, setOpen] = useState<number | undefined>();
  const opener = useRef<HTMLButtonElement | null>(null);
  if (!photos.length) return null;
  return (
    <>
      <ul className="photos">
        {photos.map((p, i) => (
          <li key={p.id}>
            <button type="button" className="photo-thumb" aria-label={p.label}
              onClick={(e) => { opener.current = e.currentTarget; setOpen(i); }}>
              <img src={src(p)} alt={p.label} loading="lazy" width={96} height={72} />
            </button>
          </li>
        ))}
      </ul>
      {open !== undefined && (
        <PhotoViewer photos={photos} start={open} compareWith={compareWith} compareLabel={compareLabel}
          onClose={() => { setOpen(undefined); opener.current?.focus(); }} />
      )}
    </>
  );
}

export function PhotoViewer({ photos, start, compareWith, compareLabel, onClose }: {
  photos: Photo[]; start: number; compareWith?: Photo[]; compareLabel?: string; onClose: () => void;
}) {
  const { t } = useI18n();
  const [i, setI] = useState(start);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [compare, setCompare] = useState(false);
  const drag = useRef<{ x: number; y: number; px: number; py: number } | undefined>(undefined);
  const dialog = useRef<HTMLDivElement>(null);
  const photo = photos[i];
  const other = compareWith?.length ? compareWith[Math.min(i, compareWith.length - 1)] : undefined;

  const go = useCallback((d: number) => { setI((x) => (x + d + photos.length) % photos.length); setZoom(1); setPan({ x: 0, y: 0 }); }, [photos.length]);
  const zoomBy = useCallback((f: number) => setZoom((z) => {
    const next = Math.min(8, Math.max(1, Math.round(z * f * 100) / 100));
    if (next === 1) setPan({ x: 0, y: 0 });
    return next;
  }), []);

  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight') go(1);
      else if (e.key === 'ArrowLeft') go(-1);
      else if (e.key === '+' || e.key === '=') zoomBy(1.5);
      else if (e.key === '-') zoomBy(1 / 1.5);
      else if (e.key === '0') { setZoom(1); setPan({ x: 0, y: 0 }); } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, zoomBy, onClose]);

  const onDown = (e: ReactPointerEvent) => {
    if (zoom === 1) return;
    drag.current = { x: e.clientX, y: e.clientY, px: pan.x, py: pan.y };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: ReactPointerEvent) => {
    const d = drag.current;
    if (d) setPan({ x: d.px + e.clientX - d.x, y: d.py + e.clientY - d.y });
  };
  const image = (p: Photo, big: boolean) => (
    <img src={src(p)} alt={p.label} draggable={false}
      style={big ? { transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`, cursor: zoom > 1 ? 'grab' : 'zoom-in' } : undefined}
      onClick={big && zoom === 1 ? () => zoomBy(2) : undefined} />
  );

  return createPortal(
    <div className="photo-viewer" role="dialog" aria-modal="true" aria-label={t({ zh: '照片查看', en: 'Photo viewer' })} tabIndex={-1} ref={dialog}
      onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="pv-bar">
        <span className="pv-title">{photo.label} <span className="pv-count">{i + 1} / {photos.length}</span></span>
        <span className="pv-tools">
          {other && (
            <button type="button" className={`btn btn-small${compare ? ' btn-primary' : ''}`} aria-pressed={compare} onClick={() => setCompare((x) => !x)}>
              {t({ zh: '处置前后对比', en: 'Before / after' })}
            </button>
          )}
          <button type="button" className="btn btn-small" onClick={() => zoomBy(1 / 1.5)} disabled={zoom <= 1} aria-label={t({ zh: '缩小', en: 'Zoom out' })}>−</button>
          <span className="pv-zoom" aria-live="polite">{Math.round(zoom * 100)}%</span>
          <button type="button" className="btn btn-small" onClick={() => zoomBy(1.5)} disabled={zoom >= 8} aria-label={t({ zh: '放大', en: 'Zoom in' })}>+</button>
          <a className="btn btn-small" href={src(photo)} download>{t({ zh: '下载原图', en: 'Download' })}</a>
          <button type="button" className="btn btn-small" onClick={onClose} aria-label={t({ zh: '关闭', en: 'Close' })}>✕</button>
        </span>
      </div>
      {compare && other ? (
        <div className="pv-compare">
          <figure><figcaption>{compareLabel ?? t({ zh: '处置前', en: 'Before' })}</figcaption>{image(other, false)}</figure>
          <figure><figcaption>{photo.label}</figcaption>{image(photo, false)}</figure>
        </div>
      ) : (
        <div className="pv-stage" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={() => { drag.current = undefined; }}
          onWheel={(e) => zoomBy(e.deltaY < 0 ? 1.25 : 0.8)}>
          {image(photo, true)}
        </div>
      )}
      {photos.length > 1 && (
        <>
          <button type="button" className="pv-nav pv-prev" onClick={() => go(-1)} aria-label={t({ zh: '上一张', en: 'Previous' })}>‹</button>
          <button type="button" className="pv-nav pv-next" onClick={() => go(1)} aria-label={t({ zh: '下一张', en: 'Next' })}>›</button>
        </>
      )}
    </div>,
    document.body,
  );
}
