/**
 * Set up after the test framework for the e2e and integration projects: removes
 * the test file's scratch folder (harness SCRATCH) once its tests are done.
 */
import { afterAll } from '@jest/globals'
import { removeScratch } from './e2e/harness.js'

afterAll(removeScratch)
