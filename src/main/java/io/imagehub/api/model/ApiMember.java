package io.imagehub.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a client needs to know about one request member beyond its name and type (both read from the record):
 * whether it is required, its limits and a help line. {@code ActionRegistry.descriptions()} reads it; the handler
 * still checks every limit itself, so give the same constant to both.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ApiMember {
    /** No bound on a number. */
    long UNBOUNDED = Long.MIN_VALUE;

    String help() default "";

    boolean required() default false;

    /** Longest string in characters (0: none stated). */
    int maxLength() default 0;

    /** Most elements of a list (0: none stated). */
    int maxItems() default 0;

    long min() default UNBOUNDED;

    long max() default UNBOUNDED;

    /** The values a string may take (empty: any). */
    String[] allowed() default {};
}
