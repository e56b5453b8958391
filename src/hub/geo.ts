/** OICP GeoCoordinates in any of its three formats. @see OICP 2.3 CPO OpenAPI, schema GeoCoordinates */
export interface GeoCoordinates {
  Google?: { Coordinates: string } | null;
  DecimalDegree?: { Latitude: string; Longitude: string } | null;
  DegreeMinuteSeconds?: { Latitude: string; Longitude: string } | null;
}

export type GeoFormat = 'Google' | 'DecimalDegree' | 'DegreeMinuteSeconds';

export interface LatLon {
  lat: number;
  lon: number;
}

function fromDms(s: string): number {
  const m = /^(-?)1?(\d{1,3})°[ ]?(\d{1,2})'[ ]?(\d{1,2}(?:\.\d+)?)''$/.exec(s.trim());
  if (!m) return Number.NaN;
  const v = Number(m[2]) + Number(m[3]) / 60 + Number(m[4]) / 3600;
  return m[1] === '-' ? -v : v;
}

/** Latitude/longitude of any OICP coordinate format, or undefined when unreadable. */
export function toLatLon(g: GeoCoordinates | null | undefined): LatLon | undefined {
  if (!g) return undefined;
  let lat = Number.NaN;
  let lon = Number.NaN;
  if (g.DecimalDegree) {
    lat = Number(g.DecimalDegree.Latitude);
    lon = Number(g.DecimalDegree.Longitude);
  } else if (g.Google) {
    const parts = g.Google.Coordinates.split(/[\s,]+/).filter(Boolean);
    lat = Number(parts[0]);
    lon = Number(parts[1]);
  } else if (g.DegreeMinuteSeconds) {
    lat = fromDms(g.DegreeMinuteSeconds.Latitude);
    lon = fromDms(g.DegreeMinuteSeconds.Longitude);
  }
  return Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
}

function toDms(v: number): string {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  const d = Math.floor(a);
  const mFull = (a - d) * 60;
  const m = Math.floor(mFull);
  const s = (mFull - m) * 60;
  return `${sign}${d}°${m}'${s.toFixed(3)}''`;
}

/** The same point in the format an EMP asked for with GeoCoordinatesResponseFormat. */
export function formatGeo(p: LatLon, format: GeoFormat): GeoCoordinates {
  const dd = (v: number): string => v.toFixed(6);
  switch (format) {
    case 'Google':
      return { Google: { Coordinates: `${dd(p.lat)} ${dd(p.lon)}` } };
    case 'DegreeMinuteSeconds':
      return { DegreeMinuteSeconds: { Latitude: toDms(p.lat), Longitude: toDms(p.lon) } };
    default:
      return { DecimalDegree: { Latitude: dd(p.lat), Longitude: dd(p.lon) } };
  }
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
