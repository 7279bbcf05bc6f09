// The input name of events Vigil writes about its own alerts (the searchable alert events).
export const DETECT_INPUT = 'detect';
