package dev.ticketing.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ticketing.api.rejection.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place where anything that goes wrong in a request becomes problem+json: business
 * rejections with their own code, bad input as {@code VALIDATION_FAILED} with the fields at
 * fault, Spring MVC's own refusals with a code for their status, and faults as a 500 that
 * shows nothing internal.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    public record FieldError(String field, String message) {
    }

    @ExceptionHandler(Rejection.class)
    ResponseEntity<ProblemDetail> rejection(Rejection rejection) {
        log.debug("Rejected with {}: {}", rejection.code(), rejection.getMessage());
        return ResponseEntity.status(rejection.status())
                .body(ProblemWriter.problem(rejection.status(), rejection.code(), rejection.getMessage(),
                        rejection.properties()));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e) {
        return ResponseEntity.status(403).body(ProblemWriter.problem(403, "FORBIDDEN", "Your role does not allow this", Map.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> fault(Exception e) {
        log.error("Request failed", e);
        return ResponseEntity.status(500).body(ProblemWriter.problem(500, "INTERNAL_ERROR",
                "The request could not be completed; nothing was changed if it was a write", Map.of()));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> new FieldError(e.getField(), e.getDefaultMessage()))
                .toList();
        return validationFailed(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors body) {
                body.getFieldErrors().forEach(e -> errors.add(new FieldError(e.getField(), e.getDefaultMessage())));
            } else {
                RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
                String name = header != null ? header.name() : result.getMethodParameter().getParameterName();
                result.getResolvableErrors().forEach(e -> errors.add(new FieldError(name, e.getDefaultMessage())));
            }
        }
        return validationFailed(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return validationFailed(List.of(new FieldError(path(unknown), "unknown field")));
        }
        if (isMalformed(cause)) {
            return validationFailed(List.of(new FieldError("body", "is not well-formed JSON")));
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return validationFailed(List.of(new FieldError(path(mapping), "has a wrong type or is out of range")));
        }
        return validationFailed(List.of(new FieldError("body", "is missing or not readable as JSON")));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return validationFailed(List.of(new FieldError(field, "is not a valid " + simpleName(ex.getRequiredType()))));
    }

    /** Spring MVC's own refusals (404, 405, 415, missing header, ...): same shape, a code per status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        int status = statusCode.value();
        String detail = body instanceof ProblemDetail p && p.getDetail() != null ? p.getDetail() : ex.getMessage();
        if (status == 400) {
            return validationFailed(List.of(new FieldError("request", detail)));
        }
        return ResponseEntity.status(status).headers(headers)
                .body(ProblemWriter.problem(status, codeFor(status), detail, Map.of()));
    }

    private static ResponseEntity<Object> validationFailed(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(ProblemWriter.problem(400, "VALIDATION_FAILED", detail,
                Map.of("errors", errors)));
    }

    private static boolean isMalformed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException
                    || t instanceof MismatchedInputException m && m.getOriginalMessage().contains("end-of-input")) {
                return true;
            }
        }
        return false;
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "REQUEST_REJECTED";
        };
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : type.getSimpleName().equals("UUID") ? "UUID" : type.getSimpleName();
    }
}
