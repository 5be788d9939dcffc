/**
 * TIMIT as supervised data: the corpus on disk ({@link org.eprop.supervised.timit.TimitCorpus}, the
 * LDC layout or the NLTK sample, with the standard splits), python_speech_features' MFCC and
 * filter-bank features ({@link org.eprop.supervised.timit.SpeechFeatures}), the original loader's
 * deltas ({@link org.eprop.supervised.timit.Deltas}), the 61 and 39 phone sets
 * ({@link org.eprop.supervised.timit.PhoneSet}), one label per 10 ms frame
 * ({@link org.eprop.supervised.timit.FrameLabels}), a disk cache of the features
 * ({@link org.eprop.supervised.timit.FeatureCache}) and the loaded, standardised data set
 * ({@link org.eprop.supervised.timit.TimitData}). docs/timit.md describes the pipeline and how the
 * feature fixtures of the tests are made.
 */
package org.eprop.supervised.timit;
