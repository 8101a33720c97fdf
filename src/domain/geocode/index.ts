/** Public API of the offline geocoder: normalisation, address parsing and the gazetteer. */
export { chineseToNumber } from './numerals.ts';
export {
  COMPOUND_SUFFIXES, LANDMARK_SUFFIXES, QUALIFIERS, ROAD_SUFFIXES, normalizeAddress, normalizeText,
  type NormalizeOptions, type NormalizedAddress,
} from './normalize.ts';
export { parseAddress, type ParsedAddress } from './parse.ts';
export { parseHouseNumber, type HouseNumberKey } from './road-numbers.ts';
export { Gazetteer } from './gazetteer.ts';
export { regionPlaces, regionPoints, type GridPoint, type RegionRef } from './regions.ts';
export { mapLabels, regionKind, REGION_KIND_LABELS, type LabelFeature, type LabelKind, type RegionKind } from './map-labels.ts';
export { AMBIGUITY_MARGIN, MIN_SCORE } from './rank.ts';
export type {
  CandidateKind, GazetteerPlace, GeocodeCandidate, GeocodeOptions, GeocodeOutcome, GeocodeResult, HouseNumberPoint,
  EntryKind, MatchMethod, PlaceKind,
} from './types.ts';
