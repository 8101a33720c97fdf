/** The phone's position (navigator.geolocation) and distances, for "near me first". */
import { useEffect, useState } from 'react';

export interface Fix { lon: number; lat: number; accuracy: number; at: number }
export type GeoState = { fix?: Fix; error?: 'unsupported' | 'denied' | 'unavailable' | 'timeout'; waiting: boolean };

// One watch shared by every component on the page; the last fix survives moving between views.
let lastFix: Fix | undefined;
let lastError: GeoState['error'];
let watchId: number | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function startWatch() {
  if (watchId !== undefined) return;
  if (typeof navigator === 'undefined' || !navigator.geolocation) { lastError = 'unsupported'; emit(); return; }
  watchId = navigator.geolocation.watchPosition(
    (p) => { lastFix = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: p.timestamp }; lastError = undefined; emit(); },
    (e) => { lastError = e.code === e.PERMISSION_DENIED ? 'denied' : e.code === e.TIMEOUT ? 'timeout' : 'unavailable'; emit(); },
    { enableHighAccuracy: true, maximumAge: 30_000, timeout: 30_000 },
  );
}

function stopWatch() {
  if (watchId !== undefined && listeners.size === 0) { navigator.geolocation.clearWatch(watchId); watchId = undefined; }
}

export function useGeolocation(): GeoState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    startWatch();
    return () => { listeners.delete(l); stopWatch(); };
  }, []);
  return { fix: lastFix, error: lastFix ? undefined : lastError, waiting: !lastFix && !lastError };
}

/** Great-circle distance in metres. */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function formatDistance(m: number, locale: string): string {
  if (m < 1000) return locale === 'en' ? `${Math.round(m)} m` : `${Math.round(m)} 米`;
  const km = m / 1000;
  const s = km < 10 ? km.toFixed(1) : String(Math.round(km));
  return locale === 'en' ? `${s} km` : `${s} 公里`;
}
